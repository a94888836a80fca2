import { ScriptJob } from 'marvelo';
import { nowNs } from '../lib/clock.js';
import { pacedTicks } from '../lib/pacing.js';

export interface PacedSourceParams {
  /** Blocks per second. */
  rate: number;
  /** How many blocks. */
  blocks: number;
}

/** Sends the shared clock's time (ns) at `rate` blocks/s: the sink subtracts it from its own. */
export default class PacedSource extends ScriptJob<PacedSourceParams> {
  async *run() {
    const { rate, blocks } = this.params;
    for await (const _ of pacedTicks(rate, blocks)) yield nowNs();
  }
}
