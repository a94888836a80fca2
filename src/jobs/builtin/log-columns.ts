import type { LogSample } from '../../control/messages.js';

/** The columns of the logging CSV, in order (documented in docs/jobs.md). */
export const LOG_COLUMNS = [
  'time',
  'job',
  'pid',
  'cpu_percent',
  'rss_bytes',
  'blocks_in',
  'blocks_out',
  'rounds',
  'run_ms',
  'interval_ms',
  'child_pid',
  'child_cpu_percent',
  'child_rss_bytes',
] as const satisfies readonly (keyof LogSample)[];

export function logRow(sample: LogSample): unknown[] {
  return LOG_COLUMNS.map((c) => sample[c]);
}
