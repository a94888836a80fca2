/**
 * The data plane's behaviour (rounds, finishing, flow control, drop policies and their accounting), as
 * cases run twice: on this machine (test/run/data-plane.test.ts) and spread over SSH nodes
 * (test/ssh/data-plane.test.ts). The same assertions hold wherever the workers run.
 */
import { describe, expect, it } from 'vitest';
import type { PipeSummary as PipeCounts } from '../../src/api/summary.js';
import { jobLines, runCli, type CliResult } from '../helpers/cli.js';

/** Where the cases' networks run. */
export interface Where {
  /** Names the runs in the tests' titles. */
  label: string;
  /** The network file to run for a fixture of test/fixtures/run. */
  network(fixture: string): string;
  /** Extra arguments of `marvelo run`. */
  args: string[];
  /** Asserts that the ended run left no process (and no run folder) behind. */
  expectNothingLeft(r: CliResult): void;
}

/** Runs a network with --json: the job lines (stderr) and the summary (stdout). */
async function runJson(where: Where, name: string) {
  const r = await runCli(['run', ...where.args, where.network(name), '--json']);
  expect(r.stderr).not.toMatch(/error/);
  expect(r.code).toBe(0);
  where.expectNothingLeft(r);
  const summary = JSON.parse(r.stdout) as { pipes: PipeCounts[]; jobs: { job: string; rounds: number }[] };
  return { lines: (job: string) => jobLines(r.stderr, job), pipe: summary.pipes[0]!, summary };
}

/** The counters of a finished pipe add up: every SQN the producer made is a value, a dummy or discarded with a reason. */
function expectExactAccounting(p: PipeCounts, produced: number): void {
  expect(p.partial).toBe(false);
  expect(p.sent).toBe(p.blocks);
  expect(p.blocks + p.dropped).toBe(produced);
  expect(p.discarded).toBe(p.stale + p.incomplete + p.overflow + p.skipped);
}

export function dataPlaneCases(where: Where): void {
  describe(`${where.label}: rounds, finishing and heads`, () => {
    it('groups a 1..22 stream into exact rounds of block_count 5 and counts the incomplete rest', async () => {
      const r = await runCli(['run', ...where.args, where.network('groups.yaml'), '--json']);
      expect(r.code).toBe(0);
      expect(jobLines(r.stderr, 'sink')).toEqual(['[1,2,3,4,5]', '[6,7,8,9,10]', '[11,12,13,14,15]', '[16,17,18,19,20]']);
      const summary = JSON.parse(r.stdout);
      expect(summary.pipes[0].incomplete).toBe(2);
    });

    it('finishes through three connectors: every block arrives, every process is gone', async () => {
      const r = await runCli(['run', ...where.args, where.network('chain3.yaml')]);
      expect(r.code).toBe(0);
      expect(jobLines(r.stdout, 'sink')).toEqual(Array.from({ length: 100 }, (_, i) => String(i + 1)));
      where.expectNothingLeft(r);
    });

    it('runs plain and generator sources, async run with out(), finish() and head bits of every size', async () => {
      const r = await runCli(['run', ...where.args, where.network('api.yaml')]);
      expect(r.stderr).not.toMatch(/error/);
      expect(r.code).toBe(0);
      // Plain source 1..4 -> split into value and square -> joined again. First block carries reset.
      expect(jobLines(r.stdout, 'show')).toEqual(['[1,1] -R-- size=1', '[2,4] ---- size=1', '[3,9] ---- size=1', '[4,16] ---- size=1']);
      // finish() on the 3rd block: finished bit on it; the user bit 3 survives a connector; head_size 3 from the YAML.
      expect(jobLines(r.stdout, 'heads')).toEqual(['1 -R-U size=3', '2 ---- size=3', '3 --FU size=3']);
    });
  });

  describe(`${where.label}: flow control`, () => {
    it('carries 200 000 blocks through a forward to a slow sink with none lost and bounded memory', async () => {
      const r = await runCli(['run', ...where.args, where.network('slow-sink.yaml'), '--json']);
      expect(r.code).toBe(0);
      expect(jobLines(r.stderr, 'sink')).toEqual(['received 200000 errors 0']);
      const summary = JSON.parse(r.stdout);
      expect(r.stderr).not.toMatch(/produced without credit/);
      for (const pipe of summary.pipes) expect(pipe).toMatchObject({ sent: 200000, blocks: 200000, dropped: 0, dummies: 0 });
      // 200 000 x 1 KiB would be ~200 MB queued somewhere without backpressure.
      for (const j of summary.jobs) expect(j.maxRss).toBeLessThan(150 * 1024 * 1024);
      // every job did work: its CPU time from start to end is reported (200 000 blocks are not free)
      for (const j of summary.jobs) expect(j.cpuMs).toBeGreaterThan(0);
    });

    // Each step of an async generator used to be raced against one shared "all consumers closed" promise,
    // which kept a reaction per value (~350 bytes): 1 M values took the source's worker to ~420 MB.
    it('an async generator source of a million blocks keeps its memory flat', async () => {
      const r = await runCli(['run', ...where.args, where.network('async-source.yaml'), '--json']);
      expect(r.code).toBe(0);
      expect(jobLines(r.stderr, 'sink')).toEqual(['real 1000000 dummies 0']);
      const src = JSON.parse(r.stdout).jobs.find((j: { job: string }) => j.job === 'src');
      expect(src.maxRss).toBeLessThan(150 * 1024 * 1024);
    });

    it('a source whose async generator waits forever ends when its consumers have finished', async () => {
      const r = await runCli(['run', ...where.args, where.network('stalled-source.yaml')]);
      expect(r.code).toBe(0);
      expect(jobLines(r.stdout, 'sink')).toEqual(['took 5']);
      where.expectNothingLeft(r);
    });

    it('a source with a fast and a slow consumer waits for credit on both, however often the fast one wakes it', async () => {
      const r = await runCli(['run', ...where.args, where.network('two-speeds.yaml'), '--json']);
      expect(r.stderr).not.toMatch(/produced without credit/);
      expect(r.code).toBe(0);
      expect(jobLines(r.stderr, 'quick')).toEqual(['received 20000 errors 0']);
      expect(jobLines(r.stderr, 'lazy')).toEqual(['received 20000 errors 0']);
      where.expectNothingLeft(r);
    });

    it('drop: oldest never blocks the producer, counts every drop, and each drop becomes a corrupted dummy', async () => {
      const r = await runCli(['run', ...where.args, where.network('drop-oldest.yaml'), '--json']);
      expect(r.code).toBe(0);
      const summary = JSON.parse(r.stdout);
      const pipe = summary.pipes[0];
      expect(pipe.dropped).toBeGreaterThan(0);
      expect(pipe.sent + pipe.dropped).toBe(20000);
      expect(pipe.dummies).toBe(pipe.dropped);
      expect(jobLines(r.stderr, 'sink')).toEqual([`real ${pipe.sent} dummies ${pipe.dropped}`]);
    });
  });

  describe(`${where.label}: drop policies account for every block, at the end of a stream too`, () => {
    it('drop: newest: the blocks dropped at the end reach the sink as dummies', async () => {
      const { lines, pipe } = await runJson(where, 'drop-newest.yaml');
      expectExactAccounting(pipe, 100000);
      expect(pipe.dropped).toBeGreaterThan(0);
      expect(pipe).toMatchObject({ dummies: pipe.dropped, discarded: 0 });
      expect(lines('sink')).toEqual([`slots 100000 values ${pipe.blocks} dummies ${pipe.dropped} misplaced 0`]);
    });

    it('drop: oldest: every SQN reaches the sink as a value or a dummy', async () => {
      const { lines, pipe } = await runJson(where, 'drop-oldest-tail.yaml');
      expectExactAccounting(pipe, 100000);
      expect(pipe.dropped).toBeGreaterThan(0);
      expect(pipe).toMatchObject({ dummies: pipe.dropped, discarded: 0 });
      expect(lines('sink')).toEqual([`slots 100000 values ${pipe.blocks} dummies ${pipe.dropped} misplaced 0`]);
    });

    it('block_count 5: dropped blocks are dummies in their rounds; the 3 SQNs after the last round are incomplete', async () => {
      const { lines, pipe, summary } = await runJson(where, 'drop-groups.yaml');
      expectExactAccounting(pipe, 50003);
      expect(pipe.incomplete).toBe(3);
      expect(pipe.discarded).toBe(3);
      expect(summary.jobs.find((j) => j.job === 'sink')!.rounds).toBe(10000);
      // the 50 000 SQNs of the 10 000 rounds are values or dummies; the 3 after them are discarded
      const m = lines('sink')[0]!.match(/^slots 50000 values (\d+) dummies (\d+) misplaced 0$/);
      expect(m).not.toBeNull();
      expect(Number(m![2])).toBe(pipe.dummies);
      expect(Number(m![1]) + pipe.dummies + pipe.discarded).toBe(pipe.blocks + pipe.dropped);
    });

    it('an optional input counts what its full buffer discarded and what its producer dropped', async () => {
      const { lines, pipe, summary } = await runJson(where, 'drop-optional.yaml');
      expectExactAccounting(pipe, 20000);
      expect(pipe.dummies).toBe(0); // an optional input has no dummies
      expect(pipe.overflow).toBeGreaterThan(0);
      expect(pipe.skipped).toBe(pipe.dropped);
      // one run per arriving value; the values it read fresh and the ones its buffer discarded make up every block
      expect(summary.jobs.find((j) => j.job === 'sink')!.rounds).toBe(pipe.blocks);
      const m = lines('sink')[0]!.match(/^fresh (\d+) disorder 0$/);
      expect(m).not.toBeNull();
      expect(Number(m![1]) + pipe.overflow + pipe.incomplete).toBe(pipe.blocks);
    });
  });
}
