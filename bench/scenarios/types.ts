/** The scenarios' contract with the runner. */

export const SCENARIO_NAMES = ['small-chain', 'bytes-64k', 'float32-frames', 'join-demo', 'latency-hop', 'rss', 'startup', 'ssh-startup', 'ssh-chain', 'failover', 'ui-overhead', 'replica-scaling'] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

export interface ScenarioContext {
  quick: boolean;
  /** Measured repetitions (each one a runtime run and a ceiling run). */
  repeats: number;
  /** Progress for the terminal (stderr). */
  log(message: string): void;
}

/**
 * One line of the results file. `ratio` is always value / ceiling (for paired repeats: the median of
 * the per-repeat ratios); whether higher or lower is better depends on the unit (see `better`).
 * Anything else a scenario wants to keep goes in beside these fields.
 */
export interface ScenarioResult {
  name: ScenarioName;
  value: number | null;
  unit: string;
  ceiling: number | null;
  ratio: number | null;
  [extra: string]: unknown;
}

export interface Scenario {
  name: ScenarioName;
  unit: string;
  /** What the value measures, for the table's reader. */
  describe: string;
  /** Full runs without --repeats (default 3): more for a figure the host's speed moves a lot. */
  defaultRepeats?: number;
  /** Runs on the SSH test-bed: the runner brings it up first (or the scenario reports itself skipped). */
  needsTestbed?: boolean;
  run(ctx: ScenarioContext): Promise<ScenarioResult>;
}
