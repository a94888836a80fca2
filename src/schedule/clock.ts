/** The scheduler's sense of time, injectable so tests move time without waiting. */

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** Calls `fn` once after `ms`; returns a function that cancels it. */
  setTimer(ms: number, fn: () => void): () => void;
}

/**
 * The longest single wait: a setTimeout cannot wait longer than 2^31-1 ms, and waking once an hour
 * also notices a system clock that jumped (nothing due: the scheduler just waits again).
 */
export const MAX_WAIT_MS = 3_600_000;

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer: (ms, fn) => {
    const t = setTimeout(fn, Math.min(Math.max(0, ms), MAX_WAIT_MS));
    return () => clearTimeout(t);
  },
};
