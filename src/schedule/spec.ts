/** A network's `schedule:` once resolved: times as epoch milliseconds, the cron expression checked. */

export type Concurrency = 'forbid' | 'allow' | 'replace';

export interface ScheduleSpec {
  /** The cron expression as written (5 fields or a macro such as @hourly). */
  cron: string;
  /** IANA time zone the expression is read in (default UTC). */
  timezone: string;
  /** No fire before this instant (inclusive). */
  startsAt?: number;
  /** No fire at or after this instant (exclusive). */
  endsAt?: number;
  /** What a fire does while an earlier run of this schedule still goes (default forbid). */
  concurrency: Concurrency;
  /** How late a fire may still start a run, in ms; undefined: any lateness. */
  startingDeadlineMs?: number;
}
