/**
 * One clock for every process of a measurement.
 *
 * `process.hrtime.bigint()` is libuv's uv_hrtime(), which on Linux reads clock_gettime(CLOCK_MONOTONIC):
 * a single system-wide clock counting from boot, the same in every process of the machine (Node's docs
 * only promise "an arbitrary time in the past", which on Linux is that shared origin). Wall clocks are
 * worse for this: Date.now() has millisecond resolution, and `performance.timeOrigin` is sampled from
 * the settable realtime clock when each process starts, so two processes can disagree by whatever NTP
 * stepped or slewed in between.
 *
 * We do not take the shared origin on trust: `checkSharedClock` (shared-clock-check.ts) brackets a
 * child's reading between two of ours before any cross-process figure is reported.
 */
export function nowNs(): number {
  // as a double: exact to the nanosecond below 2^53 ns (104 days of uptime), to 2-4 ns after that
  return Number(process.hrtime.bigint());
}

export function nsToMs(ns: number): number {
  return ns / 1e6;
}

export function nsToUs(ns: number): number {
  return ns / 1e3;
}
