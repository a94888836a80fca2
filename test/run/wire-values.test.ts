import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, jobLines, processesTagged, runCli, type CliResult } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp-dir.js';

const JOBS = join(FIXTURES, 'wire-values.ts');

/** A source yielding one value of `kind` into pipe p (of `codec`), and a sink printing what arrives. */
function oneValueNetwork(dir: string, kind: string, codec: string, params = ''): string {
  const file = join(dir, `${kind}-${codec.replace(/\W/g, '_')}.yaml`);
  writeFileSync(file, [
    `name: ${kind}`,
    'jobs:',
    `  - { name: src, uses: '${JOBS}#OneValue', params: { kind: ${kind}${params} }, outputs: [p] }`,
    `  - { name: sink, uses: '${JOBS}#ShowValue', inputs: [p] }`,
    'pipes:',
    `  p: { codec: '${codec}' }`,
    '',
  ].join('\n'));
  return file;
}

/** Runs `cases` at most `width` at a time: each is a whole run of real workers, mostly start-up. */
async function inParallel<T, R>(cases: T[], width: number, run: (c: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(cases.length);
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < cases.length) {
      const i = next++;
      results[i] = await run(cases[i]!);
    }
  }));
  return results;
}

/** The failure the run reported, and the proof that nothing else was blamed and nothing was left. */
function expectProducerFailure(r: CliResult, pattern: RegExp): void {
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr).not.toMatch(/job 'sink' failed/);
  expect(r.stderr).not.toMatch(/^\s+at /m); // no stack trace for a coded error
  expect(processesTagged(r.tag)).toEqual([]);
}

describe('run - a block larger than a data frame', () => {
  it('is refused at the producer before it is sent, naming the job, the pipe, the size and the limit', async () => {
    const dir = tempDir();
    const [direct, viaCodec] = await Promise.all([
      // one 300 MiB Uint8Array on a msgpack pipe: refused before it is encoded
      runCli(['run', oneValueNetwork(dir, 'huge-bytes', 'msgpack', ', mib: 300')]),
      // a custom codec whose payload is 300 MiB: refused once encoded, before it is sent
      runCli(['run', oneValueNetwork(dir, 'map', `${JOBS}#HugeCodec`)]),
    ]);
    const limit = 256 * 1024 * 1024 - 1 - 8 - 1; // frame length counts kind, SQN and a 1-byte head
    expectProducerFailure(direct, new RegExp(
      `^error: job 'src' failed: MRV_WIRE_BLOCK_SIZE a block of at least 314572800 bytes for pipe 'p' is over the limit of ${limit} bytes per block .*nothing was sent\\n  hint: split the value`, 'm'));
    expectProducerFailure(viaCodec, new RegExp(`^error: job 'src' failed: MRV_WIRE_BLOCK_SIZE a block of 314572800 bytes for pipe 'p' is over the limit of ${limit} bytes`, 'm'));
    for (const r of [direct, viaCodec]) expect(r.stderr).toMatch(/^\s+p\s+src -> sink\s+0\s/m);
  });

  it('of a fixed size (bytes, typed arrays) is refused by validate, at its line', async () => {
    const dir = tempDir();
    const file = join(dir, 'big.yaml');
    writeFileSync(file, [
      'name: big',
      'jobs:',
      `  - { name: src, uses: '${JOBS}#OneValue', params: { kind: map }, outputs: [b, f] }`,
      `  - { name: sb, uses: '${JOBS}#ShowValue', inputs: [b] }`,
      `  - { name: sf, uses: '${JOBS}#ShowValue', inputs: [f] }`,
      'pipes:',
      '  b: { codec: bytes, block_size: 314572800 }',
      '  f: { codec: float64, length: 40000000 }',
      '',
    ].join('\n'));
    const r = await runCli(['validate', file]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/big\.yaml:7:\d+: MRV_CONFIG_SCHEMA pipe 'b': block_size 314572800 is over the limit of 268435446 bytes per block/);
    expect(r.stderr).toMatch(/big\.yaml:8:\d+: MRV_CONFIG_SCHEMA pipe 'f': length 40000000 \(320000000 bytes of float64\) is over the limit/);
    expect(r.stderr).toMatch(/hint: use a length of at most 33554430/);
    expect(r.stderr).toMatch(/^2 error\(s\)/m);
  });
});

/** [kind (wire-values.ts), the type as the message names it, where in the value] */
const REFUSED_BY_BOTH: [string, string, string][] = [
  ['function', 'a function', ''],
  ['nested-function', 'a function', ' at value.onDone'],
  ['map', 'a Map', ''],
  ['set', 'a Set', ''],
  ['symbol', 'a symbol', ''],
  ['nested-symbol', 'a symbol', ' at value\\[1\\]'],
  ['huge-bigint', 'a bigint', ''],
  ['class', 'an instance of class Point', ''],
  ['float32array', 'a Float32Array', ''],
  ['error', 'an Error', ''],
  ['regexp', 'a RegExp', ''],
  ['cycle', 'a value nested more than 1000 levels deep', ' at value.self.self'],
];
const REFUSED: Record<'msgpack' | 'json', [string, string, string][]> = {
  msgpack: [...REFUSED_BY_BOTH, ['lone-surrogate', 'a string with a lone surrogate', '']],
  json: [
    ...REFUSED_BY_BOTH,
    ['small-bigint', 'a bigint', ''],
    ['date', 'a Date', ''],
    ['uint8array', 'a Uint8Array', ''],
    ['nan', 'NaN', ' at value.ratio'],
    ['infinity', 'Infinity', ' at value\\[1\\]'],
  ],
};

/** [kind, what the sink prints: the type that arrived and the value] */
const CARRIED: Record<'msgpack' | 'json', [string, string][]> = {
  msgpack: [
    ['small-bigint', 'bigint "5n"'],
    ['bigint', 'bigint "1152921504606846977n"'],
    ['date', 'Date "Date(2024-02-29T12:30:15.250Z)"'],
    ['uint8array', 'Buffer {"type":"Buffer","data":[1,2,3]}'],
    ['to-json', 'Object {"tag":"t"}'],
  ],
  json: [
    ['to-json', 'Object {"tag":"t"}'],
    ['lone-surrogate', 'string "a\\ud800b"'],
  ],
};

for (const codec of ['msgpack', 'json'] as const) {
  describe(`run - values a ${codec} pipe cannot carry as they are`, () => {
    it('fail the producing job with MRV_WIRE_CODEC naming the pipe, the type and a hint; nothing arrives changed', async () => {
      const dir = tempDir();
      const cases = REFUSED[codec];
      const results = await inParallel(cases, 4, ([kind]) => runCli(['run', oneValueNetwork(dir, kind, codec)]));
      cases.forEach(([kind, type, where], i) => {
        const r = results[i]!;
        expect(jobLines(r.stdout, 'sink'), kind).toEqual([]);
        expectProducerFailure(r, new RegExp(`^error: job 'src' failed: MRV_WIRE_CODEC pipe 'p': ${codec} cannot carry ${type}${where}.*: .+\\n  hint: \\S`, 'm'));
      });
    });

    it('carry the others faithfully, or as documented', async () => {
      const dir = tempDir();
      const cases = CARRIED[codec];
      const results = await inParallel(cases, 4, ([kind]) => runCli(['run', oneValueNetwork(dir, kind, codec)]));
      cases.forEach(([kind, printed], i) => {
        const r = results[i]!;
        expect(r.code, `${kind}: ${r.stderr}`).toBe(0);
        expect(jobLines(r.stdout, 'sink')).toEqual([printed]);
      });
    });
  });
}
