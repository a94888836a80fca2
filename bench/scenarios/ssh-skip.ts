import { benchTestbed, type Testbed } from '../lib/testbed.js';
import type { ScenarioContext, ScenarioName, ScenarioResult } from './types.js';

/**
 * Runs `measure` with the SSH test-bed, or, where there is none, says why in one line and reports
 * the scenario as skipped: no figures (value null) and `skipped` set, which the table shows.
 */
export async function withBenchTestbed(
  name: ScenarioName,
  unit: string,
  ctx: ScenarioContext,
  measure: (bed: Testbed) => Promise<ScenarioResult>,
): Promise<ScenarioResult> {
  const { bed, reason } = benchTestbed();
  if (bed === undefined) {
    ctx.log(`  ${name} skipped: ${reason}`);
    return { name, value: null, unit, ceiling: null, ratio: null, skipped: reason };
  }
  return measure(bed);
}
