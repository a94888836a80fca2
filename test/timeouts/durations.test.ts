import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDuration, showDuration } from '../../src/config/duration.js';
import { loadNetwork, validateNetwork } from '../../src/config/load.js';
import { tempDir } from '../helpers/temp-dir.js';
import { expectError, fixture, tempBundleDir } from '../config/helpers.js';

const bundleDir = tempBundleDir();

describe('parseDuration', () => {
  it.each([
    // the reference's examples
    ['90s', 90_000],
    ['30m', 1_800_000],
    ['2h', 7_200_000],
    ['1h30m', 5_400_000],
    ['7d', 604_800_000],
    [90, 90_000],
    // and the rest of the grammar
    ['500ms', 500],
    ['90', 90_000],
    [1.5, 1500],
    ['1.5s', 1500],
    ['0.1s', 100],
    ['1d2h3m4s5ms', 93_784_005],
    ['2m0s', 120_000],
    [0, 0],
    ['0s', 0],
  ] as const)('%s -> %d ms', (input, ms) => {
    expect(parseDuration(input)).toEqual({ ok: true, ms });
  });

  it.each([
    ['', 'an empty duration'],
    ['1.5.0s', 'not a duration'],
    ['30', undefined],
    ['1 h', 'not a duration'],
    ['1H', 'not a duration'],
    ['1w', 'not a duration'],
    ['h', 'not a duration'],
    ['-5s', 'not a duration'],
    ['1e3', 'not a duration'],
    ['30m1h', "'h' comes too late"],
    ['1m1m', "'m' comes too late"],
    ['5ms30s', "'s' comes too late"],
    ['0.5ms', 'a whole number of milliseconds'],
    [0.0001, 'a whole number of milliseconds'],
    [-1, 'seconds >= 0'],
    [Number.NaN, 'seconds >= 0'],
    [Number.POSITIVE_INFINITY, 'seconds >= 0'],
  ] as const)('%j is refused', (input, reason) => {
    const r = parseDuration(input);
    if (reason === undefined) return expect(r.ok).toBe(true);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toContain(reason);
  });

  it('shows durations the way they are written', () => {
    expect([250, 1500, 90_000, 5_400_000, 604_800_000, 93_784_005].map(showDuration)).toEqual(['250ms', '1.5s', '1m30s', '1h30m', '7d', '1d2h3m4.005s']);
  });
});

describe('timeout: in the network file', () => {
  const jobs = (extra: string) =>
    `jobs:\n  - { name: a, uses: ${fixture('jobs', 'count.ts')}, outputs: [p1]${extra} }\n  - { name: b, uses: ${fixture('jobs', 'sink.ts')}, inputs: [p1] }\n`;

  it('is parsed once into milliseconds, for the network and per job', async () => {
    const file = join(tempDir(), 'net.yaml');
    writeFileSync(file, `${jobs(', timeout: 1h30m')}timeout: 90\n`);
    const { network } = await loadNetwork(file, { bundleDir, inspect: false });
    expect(network.timeoutMs).toBe(90_000);
    expect(network.jobs.map((j) => j.timeoutMs)).toEqual([5_400_000, undefined]);
  });

  it('refuses a bad duration at its line and column, for the network and per job', async () => {
    const dir = tempDir();
    const grammar = join(dir, 'grammar.yaml');
    writeFileSync(grammar, `${jobs('')}timeout: 5 minutes\n`);
    const g = await validateNetwork(grammar, { bundleDir, inspect: false });
    expect(g.ok).toBe(false);
    expectError(g.errors, { code: 'MRV_CONFIG_SCHEMA', message: `"5 minutes" is not a valid 'timeout'`, line: 4, col: 10, hint: '1h30m' });

    const order = join(dir, 'order.yaml');
    writeFileSync(order, `${jobs(', timeout: 30m1h')}timeout: 0\n`);
    const o = await validateNetwork(order, { bundleDir, inspect: false });
    expect(o.ok).toBe(false);
    expectError(o.errors, { code: 'MRV_CONFIG_SCHEMA', message: `job 'a' timeout "30m1h" is refused: units go from the largest down`, line: 2, job: 'a', hint: '1h30m' });
    expectError(o.errors, { code: 'MRV_CONFIG_SCHEMA', message: 'the network timeout 0 is refused: a timeout of 0 would end it at once', line: 4, col: 10 });
  });

  it('is refused on an executable job', async () => {
    const file = join(tempDir(), 'exec.yaml');
    writeFileSync(file, `jobs:\n  - { name: a, uses: ${fixture('jobs', 'count.ts')}, outputs: [p1] }\n  - name: b\n    executable: /bin/cat\n    inputs: [p1]\n    timeout: 5s\n`);
    const r = await validateNetwork(file, { bundleDir, inspect: false });
    expect(r.ok).toBe(false);
    expectError(r.errors, { code: 'MRV_CONFIG_SCHEMA', message: "job 'b' is an executable job: timeout applies only to script and builtin jobs", line: 6, col: 14, job: 'b' });
  });
});
