/** What a failure does: a job's `on_failure`, `max_retries` and `retry_backoff`, and the network's retries. */
import { MarveloError, type SourceLocation } from '../errors.js';
import { parseDuration } from './duration.js';

/** A restarted job waits this long before its first restart (doubling after), unless `retry_backoff:` says. */
export const JOB_BACKOFF_MS = 100;
/** A job with `on_failure: restart` and no `max_retries:` may be restarted this often. */
export const JOB_RESTARTS = 3;
/** The whole network is retried after this long (doubling after), unless `retry_backoff:` says. */
export const NETWORK_BACKOFF_MS = 10_000;
/** No back-off grows beyond this (Kubernetes' cap for a job's back-off). */
export const MAX_BACKOFF_MS = 6 * 60_000;

/** The wait before retry number `attempt` (1 = the first retry): doubling from `firstMs`, capped. */
export function backoffMs(firstMs: number, attempt: number): number {
  return Math.min(MAX_BACKOFF_MS, firstMs * 2 ** Math.max(0, attempt - 1));
}

/** `retry_backoff:` -> ms (0 is allowed: retry at once); a bad value adds an error naming `owner` at `where`. */
export function resolveBackoff(
  value: string | number | undefined,
  fallback: number,
  owner: string,
  where: SourceLocation,
  errors: MarveloError[],
  job?: string,
): number {
  if (value === undefined) return fallback;
  const parsed = parseDuration(value);
  if (parsed.ok) return parsed.ms;
  errors.push(
    new MarveloError('MRV_CONFIG_SCHEMA', `${owner} retry_backoff ${JSON.stringify(value)} is refused: ${parsed.reason}`, {
      where,
      job,
      hint: 'a duration: a number of seconds (2) or units from the largest down, e.g. 500ms, 10s, 1m',
    }),
  );
  return fallback;
}
