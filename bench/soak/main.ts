#!/usr/bin/env node
/**
 * `npm run soak`: long runs that must come out exact (docs/performance.md, "soak").
 *   npm run soak [-- --quick] [-- --only join,print,chaos,failover] [-- --chaos-runs N]
 * Full: 10 M blocks through a join, a job printing 1 M lines, 500 chaos runs, 10 M blocks through
 * restartable jobs killed 30 times. Quick (CI): 1 M blocks, 100 k lines, no chaos runs (the tests run
 * 50), 1 M blocks and 5 kills. Exit code 0 when every part passed.
 */
import { parseArgs } from 'node:util';
import { describePlan } from '../../test/chaos/chaos-plan.js';
import { chaosRuns } from '../../test/chaos/chaos-run.js';
import { joinSoak } from './join-soak.js';
import { printSoak } from './print-soak.js';
import { failoverSoak } from './failover-soak.js';

const SIZES = {
  quick: { blocks: 1_000_000, lines: 100_000, chaosRuns: 0, kills: 5 },
  full: { blocks: 10_000_000, lines: 1_000_000, chaosRuns: 500, kills: 30 },
};
/** The tests run chaos seeds 1..50; the soak starts after them. */
const CHAOS_FIRST_SEED = 1001;
const CHAOS_PARALLEL = 3;
const PARTS = ['join', 'print', 'chaos', 'failover'] as const;

const USAGE = `usage: npm run soak -- [--quick] [--only ${PARTS.join(',')}] [--chaos-runs N]`;

function result(part: string, ok: boolean, text: string): boolean {
  console.log(`soak ${part}: ${ok ? 'ok' : 'FAILED'}: ${text}`);
  return ok;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { quick: { type: 'boolean', default: false }, only: { type: 'string' }, 'chaos-runs': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const size = { ...(values.quick ? SIZES.quick : SIZES.full) };
  if (values['chaos-runs'] !== undefined) size.chaosRuns = Number(values['chaos-runs']);
  const only = new Set(values.only === undefined ? PARTS : values.only.split(','));
  const results: boolean[] = [];

  if (only.has('join')) {
    console.log(`soak join: ${size.blocks} blocks through count1, count2 -> join -> sink (lossless)...`);
    const r = await joinSoak(size.blocks);
    for (const [job, s] of Object.entries(r.rss)) {
      console.log(`  rss ${job.padEnd(7)} start ${s.firstMB.toFixed(1)} MB, end ${s.lastMB.toFixed(1)} MB, peak ${s.maxMB.toFixed(1)} MB, slope ${s.slopeMBPerMin} MB/min (${s.samples} samples)`);
    }
    const rate = Math.round(r.blocks / r.seconds);
    results.push(result('join', r.problems.length === 0, r.problems.length === 0 ? `${r.blocks} blocks exact (checksum = closed form) in ${r.seconds.toFixed(1)} s (${rate} blocks/s), every worker's RSS flat` : r.problems.join('; ')));
  }
  if (only.has('print')) {
    console.log(`soak print: a job printing ${size.lines} lines of 100 characters...`);
    const r = await printSoak(size.lines);
    results.push(result('print', r.problems.length === 0, r.problems.length === 0 ? `${r.received} lines, all in order, in ${r.seconds.toFixed(1)} s` : r.problems.join('; ')));
  }
  if (only.has('chaos') && size.chaosRuns > 0) {
    console.log(`soak chaos: ${size.chaosRuns} runs from seed ${CHAOS_FIRST_SEED}, ${CHAOS_PARALLEL} at a time...`);
    let done = 0;
    const outcomes = await chaosRuns(CHAOS_FIRST_SEED, size.chaosRuns, CHAOS_PARALLEL, (o) => {
      done++;
      if (o.problems.length > 0) console.log(`  seed ${o.plan.seed} (kill ${o.plan.victim} after ${o.plan.afterLines} sink lines): ${o.problems.join('; ')}`);
      if (done % 50 === 0) console.log(`  ${done} runs`);
    });
    const bad = outcomes.filter((o) => o.problems.length > 0);
    const failed = outcomes.filter((o) => o.exitCode === 1).length;
    results.push(
      result('chaos', bad.length === 0, `${outcomes.length - bad.length} of ${outcomes.length} runs behaved (${failed} coded failures naming the killed job, ${outcomes.length - failed - bad.length} exact finishes)${bad.length ? `; failing seeds: ${bad.map((o) => o.plan.seed).join(', ')}` : ''}`),
    );
  }
  if (only.has('failover')) {
    console.log(`soak failover: ${size.blocks} blocks through a connector and a join with on_failure: restart, killed ${size.kills} times...`);
    const r = await failoverSoak(size.blocks, size.kills);
    results.push(result('failover', r.problems.length === 0, r.problems.length === 0 ? `${size.blocks} blocks exact after ${r.restarts} restarts, in ${r.seconds.toFixed(1)} s, no worker left` : r.problems.join('; ')));
  }
  const failed = results.filter((ok) => !ok).length;
  console.log(`soak: ${results.length - failed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`soak: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 1;
  },
);
