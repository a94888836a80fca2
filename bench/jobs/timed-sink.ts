import { ScriptJob } from 'marvelo';
import { SinkWindowClock } from '../lib/sink-window.js';
import { formatMarker } from '../lib/markers.js';

export interface TimedSinkParams {
  /** Blocks before the measured window opens (JIT warm-up); the window opens on block `warmup`. */
  warmup?: number;
}

/**
 * Counts blocks and notes, on the shared clock, when the first block, the block that ends the
 * warm-up, and the last block arrived (bench/lib/sink-window.ts). Prints one marker in teardown(), so
 * throughput is taken from the sink's own window and excludes process start-up and shutdown.
 */
export default class TimedSink extends ScriptJob<TimedSinkParams> {
  /** It keeps nothing it receives: large blocks are read into one reused buffer (ScriptJob.BORROW). */
  static override BORROW = true;
  private clock = new SinkWindowClock(0);

  setup(): void {
    this.clock = new SinkWindowClock(this.params.warmup ?? 0);
  }

  run(_value: unknown): void {
    this.clock.onBlock();
  }

  teardown(): void {
    console.log(formatMarker(this.clock.result()));
  }
}
