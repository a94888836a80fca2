import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateNetwork } from '../../src/config/load.js';
import { formatError, type MarveloError } from '../../src/errors.js';
import { ROOT } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp-dir.js';
import { tempBundleDir } from './helpers.js';

const bundleDir = tempBundleDir();

/** Validates `content` written as a file; returns the errors as users see them. */
async function errorsOf(content: string | Uint8Array): Promise<{ errors: MarveloError[]; shown: string[] }> {
  const file = join(tempDir(), 'net.yaml');
  writeFileSync(file, content);
  const result = await validateNetwork(file, { bundleDir });
  return { errors: result.errors, shown: result.errors.map((e) => formatError(e)) };
}

/** Deterministic bytes that are not UTF-8 (a xorshift stream with a 0xff in it). */
function binaryBytes(n: number): Uint8Array {
  const bytes = new Uint8Array(n);
  let x = 0x2545f491;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = x & 0xff;
  }
  bytes[3] = 0xff;
  return bytes;
}

describe('config - what the file holds as text', () => {
  it('refuses a binary file at its first byte that is not UTF-8, without echoing it', async () => {
    const { errors, shown } = await errorsOf(binaryBytes(1 << 20));
    expect(errors.map((e) => [e.code, e.where?.line])).toEqual([['MRV_CONFIG_YAML', 1]]);
    expect(errors[0]!.message).toMatch(/^the network file is not UTF-8 text: byte 0x[0-9a-f]{2} cannot start or continue a character$/);
    expect(shown[0]!.length).toBeLessThan(400);
  });

  it('says when a file is UTF-16', async () => {
    const { errors } = await errorsOf(Buffer.from('\ufeffjobs: []\n', 'utf16le'));
    expect(errors[0]!.hint).toBe('the file is UTF-16; save it as UTF-8');
  });

  it('refuses control characters YAML text may not hold, naming line and column', async () => {
    const { errors } = await errorsOf('jobs:\n  - { name: a\u0000b, uses: ./a.ts }\n');
    expect(errors.map((e) => [e.code, e.message, e.where?.line, e.where?.col])).toEqual([
      ['MRV_CONFIG_YAML', 'the network file holds the control character U+0000, which YAML text may not contain', 2, 14],
    ]);
  });

  it('shows at most the start of a one-line huge file', async () => {
    const huge = 'x'.repeat(1 << 20);
    for (const content of [huge, `jobs: ${huge}\n`, `jobs:\n  - { name: a, uses: ./a.ts, ${huge}: 1 }\n`]) {
      const { errors, shown } = await errorsOf(content);
      expect(errors.map((e) => e.code)).toEqual(['MRV_CONFIG_SCHEMA']);
      expect(shown[0]).toContain(`xxx... (${1 << 20} characters)`);
      expect(shown[0]!.length).toBeLessThan(600);
    }
  });

  it('reads a file with a byte order mark and CRLF line ends', async () => {
    const demo = readFileSync(join(ROOT, 'networks', 'demo.yaml'), 'utf8').replaceAll('../jobs/', `${ROOT}/jobs/`);
    const file = join(tempDir(), 'crlf.yaml');
    writeFileSync(file, '\ufeff' + demo.replaceAll('\n', '\r\n'));
    const result = await validateNetwork(file, { bundleDir });
    expect(result.errors).toEqual([]);
    expect(result.network!.jobs).toHaveLength(6);
  });

  it('refuses tags that would make values other than plain data, naming the line', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    try {
      const job = `jobs:\n  - name: a\n    uses: ${ROOT}/jobs/count.ts\n    params:\n`;
      for (const tagged of ['t: !!binary aGk=', 'when: !!timestamp 2001-12-14', 't: !custom 2']) {
        const { errors } = await errorsOf(`${job}      ${tagged}\n`);
        expect(errors.map((e) => [e.code, e.where?.line]), tagged).toEqual([['MRV_CONFIG_YAML', 5]]);
        expect(errors[0]!.message).toMatch(/^invalid YAML: Unresolved tag: /);
      }
      const { errors } = await errorsOf(`%YAML 1.1\n---\njobs:\n  - { name: a, uses: ${ROOT}/jobs/count.ts, params: { s: !!set { x, y } } }\n`);
      expect(errors.map((e) => [e.code, e.where?.line])).toEqual([['MRV_CONFIG_YAML', 4]]);
      await new Promise((resolve) => setImmediate(resolve)); // process warnings are emitted on the next tick
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).toEqual([]);
  });
});
