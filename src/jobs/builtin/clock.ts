import { ScriptJob } from 'marvelo';

export interface ClockParams {
  /** Milliseconds between ticks (default 40, MARVELO's 0.04 s). */
  interval?: number;
  /** Number of ticks, then the clock finishes (default: endless). */
  limit?: number;
}

/**
 * `builtin:clock`: emits the tick number 1, 2, 3, ... every `interval` ms, the first at once. A clock
 * held back by backpressure does not burst to catch up: it ticks once at once and keeps its rhythm from there.
 * MARVELO's ClockJob (which sends 1 every time).
 */
export default class Clock extends ScriptJob<ClockParams> {
  async *run() {
    const { interval = 40, limit = Infinity } = this.params;
    let due = performance.now();
    for (let tick = 1; tick <= limit; tick++) {
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      yield tick;
      due += interval;
      const now = performance.now();
      if (due < now) due = now;
    }
  }
}
