import { setTimeout as sleep } from 'node:timers/promises';
import { nowNs } from './clock.js';

/**
 * `count` ticks at `rate` per second on an absolute schedule (tick i is due at start + i/rate), so
 * timer lateness does not accumulate and the average rate is exact.
 * Pacing for the latency scenario; never used to wait for a condition.
 */
export async function* pacedTicks(rate: number, count: number): AsyncGenerator<number> {
  const periodNs = 1e9 / rate;
  const start = nowNs();
  for (let i = 0; i < count; i++) {
    const waitMs = (start + i * periodNs - nowNs()) / 1e6;
    // timers have 1 ms resolution: round to the nearest, so ticks stay about one period apart
    // instead of pairing up (flooring would send a tick early right after every timer)
    if (waitMs > 0.5) await sleep(Math.max(1, Math.round(waitMs)));
    yield i;
  }
}
