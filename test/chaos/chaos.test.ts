import { describe, expect, it } from 'vitest';
import { describePlan } from './chaos-plan.js';
import { chaosRuns } from './chaos-run.js';

/** Seeds of the default runs; `npm run soak` runs many more, from other seeds. */
const FIRST_SEED = 1;
const RUNS = 50;
/** Runs at a time: enough to keep two cores busy while a run waits on its workers. */
const PARALLEL = 3;

describe('chaos - a worker of a join network killed at a random moment', () => {
  it(`${RUNS} seeded runs: a coded failure naming the killed job, or the exact output; no hang, no process or folder left`, async () => {
    const outcomes = await chaosRuns(FIRST_SEED, RUNS, PARALLEL);
    const bad = outcomes.filter((o) => o.problems.length > 0);
    const report = bad.map((o) => `${describePlan(o.plan)}: ${o.problems.join('; ')}`);
    expect(report).toEqual([]);
    // The kills must hit live workers in both phases, or the suite tests less than it says.
    expect(outcomes.some((o) => o.plan.when === 'load' && o.exitCode === 1)).toBe(true);
    expect(outcomes.some((o) => o.plan.when === 'stream' && o.exitCode === 1)).toBe(true);
  }, 300_000);
});
