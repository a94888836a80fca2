import { ScriptJob } from 'marvelo';
import { nowNs } from '../lib/clock.js';
import { formatMarker } from '../lib/markers.js';

export interface TimedSinkParams {
  /** Blocks before the measured window opens (JIT warm-up); the window opens on block `warmup`. */
  warmup?: number;
}

/**
 * Counts blocks and notes, on the shared clock, when the first block, the block that ends the
 * warm-up, and the last block arrived. Prints one marker in teardown(), so throughput is taken from
 * the sink's own window and excludes process start-up and shutdown.
 */
export default class TimedSink extends ScriptJob<TimedSinkParams> {
  private count = 0;
  private firstNs = 0;
  private warmNs = 0;
  private lastNs = 0;
  private warmup = 0;

  setup(): void {
    this.warmup = this.params.warmup ?? 0;
  }

  run(_value: unknown): void {
    const t = nowNs();
    const n = ++this.count;
    if (n === 1) this.firstNs = t;
    if (n === this.warmup) this.warmNs = t;
    this.lastNs = t;
  }

  teardown(): void {
    console.log(
      formatMarker({ count: this.count, warmup: this.warmup, firstNs: this.firstNs, warmNs: this.warmNs || this.firstNs, lastNs: this.lastNs }),
    );
  }
}
