import { ScriptJob } from 'marvelo';

export interface CounterSourceParams {
  /** How many blocks; omit (or 0) for an endless source. */
  blocks?: number;
  start?: number;
  step?: number;
}

/**
 * A flat-out source of small msgpack blocks: start, start + step, ... A sync generator, so the
 * runtime pulls values without a promise per block.
 */
export default class CounterSource extends ScriptJob<CounterSourceParams> {
  *run() {
    const { blocks = 0, start = 1, step = 1 } = this.params;
    const limit = blocks > 0 ? blocks : Infinity;
    for (let i = 0, v = start; i < limit; i++, v += step) yield v;
  }
}
