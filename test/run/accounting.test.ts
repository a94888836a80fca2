import { describe, expect, it } from 'vitest';
import type { PipeSummary as PipeCounts } from '../../src/api/summary.js';
import { fixture, jobLines, processesTagged, runCli } from '../helpers/cli.js';

/** Runs a network with --json: the job lines (stderr) and the summary (stdout). */
async function runJson(name: string) {
  const r = await runCli(['run', fixture(name), '--json']);
  expect(r.stderr).not.toMatch(/error/);
  expect(r.code).toBe(0);
  expect(processesTagged(r.tag)).toEqual([]);
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

describe('run - drop policies account for every block, at the end of a stream too', () => {
  it('drop: newest: the blocks dropped at the end reach the sink as dummies', async () => {
    const { lines, pipe } = await runJson('drop-newest.yaml');
    expectExactAccounting(pipe, 100000);
    expect(pipe.dropped).toBeGreaterThan(0);
    expect(pipe).toMatchObject({ dummies: pipe.dropped, discarded: 0 });
    expect(lines('sink')).toEqual([`slots 100000 values ${pipe.blocks} dummies ${pipe.dropped} misplaced 0`]);
  });

  it('drop: oldest: every SQN reaches the sink as a value or a dummy', async () => {
    const { lines, pipe } = await runJson('drop-oldest-tail.yaml');
    expectExactAccounting(pipe, 100000);
    expect(pipe.dropped).toBeGreaterThan(0);
    expect(pipe).toMatchObject({ dummies: pipe.dropped, discarded: 0 });
    expect(lines('sink')).toEqual([`slots 100000 values ${pipe.blocks} dummies ${pipe.dropped} misplaced 0`]);
  });

  it('block_count 5: dropped blocks are dummies in their rounds; the 3 SQNs after the last round are incomplete', async () => {
    const { lines, pipe, summary } = await runJson('drop-groups.yaml');
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
    const { lines, pipe, summary } = await runJson('drop-optional.yaml');
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
