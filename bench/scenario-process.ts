import os from 'node:os';
import { formatMarker } from './lib/markers.js';
import { scenarioByName } from './scenarios/index.js';
import type { ScenarioName, ScenarioResult } from './scenarios/types.js';

/**
 * The child side of the runner: runs one scenario in this (fresh) process, progress on stderr, and
 * prints its result as one `@bench` line on stdout. A scenario that throws still prints a result,
 * with `error` set and no figures.
 */
export async function runScenarioProcess(name: ScenarioName, quick: boolean, asked: number | undefined): Promise<void> {
  const scenario = scenarioByName(name)!;
  const repeats = asked ?? (quick ? 1 : (scenario.defaultRepeats ?? 3));
  const log = (m: string) => process.stderr.write(m + '\n');
  let result: ScenarioResult;
  // other work on the machine skews every figure: keep what the load was when this scenario started
  const loadAverage1m = Math.round(os.loadavg()[0]! * 100) / 100;
  try {
    result = { ...(await scenario.run({ quick, repeats, log })), loadAverage1m };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    log(`  ${name} failed: ${err instanceof Error ? err.stack : message}`);
    result = { name, value: null, unit: scenario.unit, ceiling: null, ratio: null, error: message, loadAverage1m };
    process.exitCode = 1;
  }
  process.stdout.write(formatMarker(result) + '\n');
}
