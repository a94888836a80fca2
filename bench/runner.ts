/**
 * `npm run bench`: every scenario in a fresh process (node dist/bench/main.js --scenario <name>),
 * one after the other so they never compete for the two cores; then the table and the results file.
 */
import { parseMarker } from './lib/markers.js';
import { acquireTestbed, testbedEnv, type TestbedStatus } from './lib/testbed.js';
import { forEachLine, spawnOwned } from './lib/processes.js';
import { describeMachine, formatMachine } from './machine.js';
import { writeResults } from './report/results-file.js';
import { formatTable } from './report/table.js';
import { DEFAULT_REPEATS_TEXT, type BenchArgs } from './args.js';
import { SCENARIOS } from './scenarios/index.js';
import type { Scenario, ScenarioResult } from './scenarios/types.js';

/** A scenario process that takes longer than this is killed and reported as failed (a hang, not a slow run). */
function timeoutMs(s: Scenario, quick: boolean): number {
  if (quick) return s.name === 'rss' ? 90_000 : 60_000;
  return 600_000;
}

async function runInChild(s: Scenario, args: BenchArgs, testbed: TestbedStatus | undefined): Promise<ScenarioResult> {
  const childArgs = [process.argv[1]!, '--scenario', s.name];
  if (args.repeats !== undefined) childArgs.push('--repeats', String(args.repeats));
  if (args.quick) childArgs.push('--quick');
  const env = testbed === undefined ? process.env : { ...process.env, ...testbedEnv(testbed) };
  const proc = spawnOwned(process.execPath, childArgs, { stdio: ['ignore', 'pipe', 'inherit'], env });
  let result: ScenarioResult | undefined;
  forEachLine(proc.child.stdout, (line) => {
    const m = parseMarker(line);
    if (m && m.name === s.name) result = m as ScenarioResult;
    else process.stderr.write(line + '\n');
  });
  const limit = timeoutMs(s, args.quick);
  let timedOut = false;
  const watchdog = setTimeout(() => {
    timedOut = true;
    void proc.kill();
  }, limit);
  try {
    const exit = await proc.exited;
    await proc.closed;
    if (result) return result;
    const why = timedOut ? `no result within ${limit / 1000} s (killed)` : `the scenario process exited (code ${exit.code}, signal ${exit.signal}) without a result`;
    return { name: s.name, value: null, unit: s.unit, ceiling: null, ratio: null, error: why };
  } finally {
    clearTimeout(watchdog);
    await proc.kill();
  }
}

export async function runAll(args: BenchArgs): Promise<number> {
  const date = new Date();
  const machine = describeMachine();
  const selected = SCENARIOS.filter((s) => args.only.includes(s.name));
  const repeats = args.repeats !== undefined ? `${args.repeats} repeat(s)` : args.quick ? '1 repeat' : `default repeats (${DEFAULT_REPEATS_TEXT})`;
  process.stderr.write(`marvelo bench${args.quick ? ' --quick' : ''}: ${selected.map((s) => s.name).join(', ')}, ${repeats}\n`);
  process.stderr.write(`machine: ${formatMachine(machine)}\n`);
  const results: ScenarioResult[] = [];
  // the SSH test-bed, for the scenarios that need it: brought up once, down at the end if we brought it up
  const testbed = selected.some((s) => s.needsTestbed) ? acquireTestbed((m) => process.stderr.write(m + '\n')) : undefined;
  const release = () => testbed?.release();
  const onSignal = (signal: NodeJS.Signals) => {
    release();
    process.kill(process.pid, signal);
  };
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  try {
    for (const s of selected) {
      const started = Date.now();
      process.stderr.write(`\n[${s.name}] ${s.describe}\n`);
      const r = await runInChild(s, args, s.needsTestbed ? testbed?.status : undefined);
      results.push(r);
      const outcome = r.error ? `: FAILED (${String(r.error).split('\n')[0]})` : r.skipped ? ': skipped' : '';
      process.stderr.write(`[${s.name}] done in ${((Date.now() - started) / 1000).toFixed(1)} s${outcome}\n`);
    }
  } finally {
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
    release();
  }
  const path = writeResults(date, machine, args.quick, results);
  process.stdout.write(`\nmarvelo bench, ${date.toISOString()}${args.quick ? ' (quick)' : ''}\nmachine: ${formatMachine(machine)}\n\n`);
  process.stdout.write(formatTable(results) + '\n\n');
  process.stdout.write('ratio = value / ceiling (median of paired repeats). Higher is better for blocks/s and MB/s; lower for us, MB and ms.\n');
  process.stdout.write(`results: ${path}\n`);
  // targets are printed, never asserted; only a scenario that could not run fails the command
  return results.some((r) => r.error !== undefined) ? 1 : 0;
}
