import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateNetwork } from '../../src/config/load.js';
import { parseNetworkText } from '../../src/config/parse.js';
import type { MarveloError } from '../../src/errors.js';
import { bigNetworkText } from '../helpers/big-network.js';
import { tempDir } from '../helpers/temp-dir.js';
import { tempBundleDir } from './helpers.js';

const bundleDir = tempBundleDir();
const MB = 1024 * 1024;

async function yamlErrors(text: string): Promise<MarveloError[]> {
  const parsed = await parseNetworkText('/net.yaml', text);
  return parsed.ok ? [] : parsed.errors;
}

const JOBS = 'jobs:\n  - { name: a, uses: ./a.ts, params: { data: ';

describe('config - large network files', () => {
  // Parsing, the duplicate-key check and alias resolution are linear in the file's size: a map of
  // 200 000 keys or 1 400 aliases once took minutes each. No timing is asserted: the file only has to
  // validate within the (generous) timeout.
  it('a 10 MB file (a map of 200 000 keys, 4 000 jobs, 1 400 aliases) validates', { timeout: 240_000 }, async () => {
    const file = join(tempDir(), 'big.yaml');
    writeFileSync(file, bigNetworkText(10 * MB, { bigMapKeys: 200_000 }));
    const result = await validateNetwork(file, { bundleDir });
    expect(result.errors.map((e) => e.message)).toEqual([]);
    expect(result.network!.jobs.length).toBeGreaterThan(4_000);
    expect(Object.keys(result.network!.jobs.find((j) => j.name === 'table')!.params)).toHaveLength(200_001);
  });

  it('still finds a duplicate key, and says where', async () => {
    const errors = await yamlErrors(`${JOBS}1 } }\npipes:\n  p: {}\n  q: {}\n  p: {}\n`);
    expect(errors.map((e) => [e.code, e.message, e.where?.line, e.where?.col])).toEqual([
      ['MRV_CONFIG_YAML', 'invalid YAML: Map keys must be unique', 6, 3],
    ]);
  });
});

describe('config - the alias guard counts what aliases add', () => {
  it('passes a long list without aliases', async () => {
    const list = Array.from({ length: 150_000 }, (_, i) => i).join(', ');
    expect(list.length).toBeGreaterThan(0.8 * MB);
    expect(await yamlErrors(`${JOBS}[${list}] } }\n`)).toEqual([]);
  });

  it('passes aliases that add fewer values than the document has', async () => {
    const shared = `shared: &s [${Array.from({ length: 1000 }, (_, i) => i).join(', ')}]\n`;
    const uses = Array.from({ length: 120 }, (_, i) => `  - { name: j${i}, uses: ./a.ts, params: { own: [${Array(1000).fill(i).join(', ')}], data: *s } }\n`);
    // The aliases add 120 x 1 001 values, beyond 100 000 but fewer than the document's own.
    expect(await yamlErrors(`x-${shared}jobs:\n${uses.join('')}`)).toEqual([]);
  });

  it('refuses a billion laughs, naming the alias that crosses the limit', async () => {
    const lines = ['a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (let i = 1; i < 9; i++) {
      const [name, prev] = [String.fromCharCode(97 + i), String.fromCharCode(96 + i)];
      lines.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(', ')}]`);
    }
    const [e, ...rest] = await yamlErrors(lines.join('\n'));
    expect(rest).toEqual([]);
    expect(e!.code).toBe('MRV_CONFIG_YAML');
    expect(e!.message).toMatch(/^aliases expand the document too much: they add \d+ values to its 29, at most 100000 may be added$/);
    expect(e!.where?.line).toBe(5);
  });

  it('refuses an alias to no anchor, or to a value that contains it', async () => {
    const [missing] = await yamlErrors(`${JOBS}*nowhere } }\n`);
    expect([missing!.code, missing!.message, missing!.where?.line, missing!.where?.col]).toEqual([
      'MRV_CONFIG_YAML', 'alias *nowhere refers to no anchor &nowhere before it', 2, 46,
    ]);
    const [cycle] = await yamlErrors('jobs: &x\n  - *x\n');
    expect(cycle!.message).toBe('alias *x refers to a value that contains it');
    const [long] = await yamlErrors(`${JOBS}*${'n'.repeat(100_000)} } }\n`);
    expect(long!.message).toBe(`alias *${'n'.repeat(60)}... (100000 characters) refers to no anchor &${'n'.repeat(60)}... (100000 characters) before it`);
  });
});

describe('config - nesting depth', () => {
  const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

  it('accepts 100 levels, not 101', async () => {
    // The file, the list of jobs, the job and its params are four levels.
    expect(await yamlErrors(`${JOBS}${nested(96)} } }\n`)).toEqual([]);
    expect((await yamlErrors(`${JOBS}${nested(97)} } }\n`)).map((e) => e.message)).toEqual(['lists and maps nest more than 100 levels deep here']);
  });

  for (const [what, text, line] of [
    ['flow lists', `${JOBS}${nested(5000)} } }\n`, 2],
    ['block maps', `jobs:\n${Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i + 2)}k${i}:\n`).join('')}`, 101],
    ['block lists', `jobs:\n${Array.from({ length: 2000 }, (_, i) => `${' '.repeat(2 * i + 2)}-\n`).join('')}`, 101],
  ] as const) {
    it(`refuses absurdly nested ${what} with a coded error that names the line`, async () => {
      const errors = await yamlErrors(text);
      expect(errors.map((e) => [e.code, e.message, e.where?.line])).toEqual([
        ['MRV_CONFIG_YAML', 'lists and maps nest more than 100 levels deep here', line],
      ]);
      expect(errors[0]!.hint).toBe('nest lists and maps at most 100 levels deep');
    });
  }

  it('counts the levels aliases add', async () => {
    const chain = ['a0: &a0 []'];
    for (let i = 1; i < 5; i++) chain.push(`a${i}: &a${i} ${'['.repeat(30)}*a${i - 1}${']'.repeat(30)}`);
    const errors = await yamlErrors(chain.join('\n'));
    expect(errors.map((e) => [e.code, e.message, e.where?.line])).toEqual([
      ['MRV_CONFIG_YAML', 'alias *a3 nests lists and maps more than 100 levels deep here', 5],
    ]);
  });
});
