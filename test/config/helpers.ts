/** Shared by the config tests: fixture paths, a private bundle cache, and error lookup. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, expect, onTestFinished } from 'vitest';
import { validateNetwork } from '../../src/config/load.js';
import type { ErrorCode, MarveloError } from '../../src/errors.js';

export const FIXTURES = resolve('test/fixtures/config');

export function fixture(...parts: string[]): string {
  return join(FIXTURES, ...parts);
}

/** A bundle cache of the calling test file's own, removed after its tests. */
export function tempBundleDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'marvelo-config-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export async function errorsOf(network: string, bundleDir: string): Promise<MarveloError[]> {
  const result = await validateNetwork(fixture('networks', 'errors', network), { bundleDir });
  expect(result.ok).toBe(false);
  return result.errors;
}

export interface Expected {
  code: ErrorCode;
  message: string | RegExp;
  line: number;
  col?: number;
  hint?: string | RegExp;
  job?: string;
  pipe?: string;
}

/** The one error whose message matches, checked field by field (so a failure shows what differs). */
export function expectError(errors: MarveloError[], want: Expected): MarveloError {
  const matches = (e: MarveloError) =>
    typeof want.message === 'string' ? e.message.includes(want.message) : want.message.test(e.message);
  const found = errors.filter(matches);
  expect(found.map((e) => e.message), `errors: ${errors.map((e) => e.message).join(' | ')}`).toHaveLength(1);
  const e = found[0]!;
  expect(e.code).toBe(want.code);
  expect(e.where?.line).toBe(want.line);
  if (want.col !== undefined) expect(e.where?.col).toBe(want.col);
  if (want.hint !== undefined) {
    if (typeof want.hint === 'string') expect(e.hint).toContain(want.hint);
    else expect(e.hint).toMatch(want.hint);
  }
  if (want.job !== undefined) expect(e.job).toBe(want.job);
  if (want.pipe !== undefined) expect(e.pipe).toBe(want.pipe);
  return e;
}

/** A home folder of the test's own (removed when it ends), with `.ssh/config` holding `sshConfig` if given. */
export function tempHome(sshConfig?: string): string {
  const home = mkdtempSync(join(tmpdir(), 'marvelo-home-'));
  onTestFinished(() => rmSync(home, { recursive: true, force: true }));
  if (sshConfig !== undefined) {
    mkdirSync(join(home, '.ssh'), { mode: 0o700 });
    writeFileSync(join(home, '.ssh', 'config'), sshConfig);
  }
  return home;
}

/** $HOME (so ~, ~/.ssh/config and ~/.ssh/known_hosts) is `home` until the test ends. */
export function useHome(home: string): void {
  const before = process.env['HOME'];
  process.env['HOME'] = home;
  onTestFinished(() => {
    if (before === undefined) delete process.env['HOME'];
    else process.env['HOME'] = before;
  });
}
