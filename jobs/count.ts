import { ScriptJob } from 'marvelo';

export interface CountParams {
  start?: number;
  step?: number;
  /** How many values; omit for an endless source. */
  limit?: number;
  /** Pause between values, in milliseconds (0 = as fast as the pipe takes them). */
  delay?: number;
}

/** A source: start, start + step, ... (`limit` values). MARVELO's SourceJob. */
export default class Count extends ScriptJob<CountParams> {
  async *run() {
    const { start = 1, step = 1, limit = Infinity, delay = 0 } = this.params;
    for (let i = 0, v = start; i < limit; i++, v += step) {
      if (delay > 0) await new Promise((r) => setTimeout(r, delay));
      yield v;
    }
  }
}
