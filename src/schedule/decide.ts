/**
 * What the scheduler does when it wakes: the pure rules, without timers or runs.
 * - Fires are the matching minutes strictly after the last time it looked and up to now.
 * - The latest of them starts one run now ("at the closest time after" it) if it is late by at most
 *   starting_deadline (any lateness when unset); otherwise every one of them is missed.
 * - Earlier due fires are never backfilled: they are missed, collapsed into one record.
 */
import type { Concurrency } from './spec.js';

/** Fires that came due since the scheduler last looked (the oldest, the last two, how many). */
export interface Due {
  first: number;
  /** The fire before `latest` (undefined when only one came due). */
  previous: number | undefined;
  latest: number;
  count: number;
  /** True when there were more than `cap` of them: `first` and `count` are then those of the counted ones. */
  capped: boolean;
}

/** Counting stops here: after a long sleep, `* * * * *` would otherwise enumerate every minute. */
export const DUE_CAP = 1000;

/**
 * The fires in (after, now], found with `next` (the first fire strictly after an instant, or undefined).
 * Past the cap it jumps to the last fire before now by searching forward from (now - one step).
 */
export function dueFires(next: (after: number) => number | undefined, after: number, now: number, cap = DUE_CAP): Due | undefined {
  const at = next(after);
  if (at === undefined || at > now) return undefined;
  const first = at;
  let previous: number | undefined;
  let latest = at;
  let count = 1;
  for (;;) {
    const n = next(latest);
    if (n === undefined || n > now) return { first, previous, latest, count, capped: false };
    if (count >= cap) return { first, ...lastTwoBefore(next, latest, now), count, capped: true };
    previous = latest;
    latest = n;
    count += 1;
  }
}

/** The last two fires at or before `now`, scanning from `from` (only after the cap, so rare). */
function lastTwoBefore(next: (after: number) => number | undefined, from: number, now: number): { previous: number | undefined; latest: number } {
  let previous: number | undefined;
  let latest = from;
  for (let n = next(latest); n !== undefined && n <= now; n = next(latest)) {
    previous = latest;
    latest = n;
  }
  return { previous, latest };
}

export interface Missed {
  /** The oldest and the newest missed fire, and how many (collapsed into this one record). */
  first: number;
  last: number;
  count: number;
  /** `deadline`: later than starting_deadline; `collapsed`: an older fire superseded by a later one. */
  reason: 'deadline' | 'collapsed';
  /** More fires were missed than were counted (DUE_CAP). */
  atLeast: boolean;
}

export interface Decision {
  /** The fire that starts a run now, and how late it is. */
  fire?: { scheduledFor: number; lateMs: number };
  missed?: Missed;
}

export function decide(due: Due, now: number, startingDeadlineMs: number | undefined): Decision {
  const lateMs = now - due.latest;
  if (startingDeadlineMs !== undefined && lateMs > startingDeadlineMs) {
    return { missed: { first: due.first, last: due.latest, count: due.count, reason: 'deadline', atLeast: due.capped } };
  }
  const fire = { scheduledFor: due.latest, lateMs };
  if (due.count === 1 || due.previous === undefined) return { fire };
  return { fire, missed: { first: due.first, last: due.previous, count: due.count - 1, reason: 'collapsed', atLeast: due.capped } };
}

/** A fire with `active` runs of this schedule still going: start one, skip the fire, or replace them. */
export function onConcurrency(policy: Concurrency, active: number): 'start' | 'skip' | 'replace' {
  if (active === 0 || policy === 'allow') return 'start';
  return policy === 'forbid' ? 'skip' : 'replace';
}
