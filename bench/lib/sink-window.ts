import { nowNs } from './clock.js';
import type { SinkWindow } from './throughput.js';

/** Clock reads every this many blocks: a read costs ~70 ns and a BigInt, too much for every block. */
const SAMPLE_EVERY = 256;

/**
 * Counts a sink's blocks and notes on the shared clock when the first block, the block that ends the
 * warm-up, and (every SAMPLE_EVERY blocks, and the last) the latest block arrived. The window ends at the
 * latest sampled block; `lastCount` says which, so the rate is exact for the blocks it covers.
 */
export class SinkWindowClock {
  private count = 0;
  // -0, not 0: a double from the start (0 is a small integer to V8). A clock reading stored over a small
  // integer changes the object's shape, and the block that ended the warm-up then deoptimised every
  // function that had inlined onBlock(): the job, and the runtime's or the ceiling's read loop.
  private firstNs = -0;
  private warmNs = -0;
  private lastNs = -0;
  private lastCount = 0;

  constructor(
    private readonly warmup: number,
    /** The last block's number when known (it is then sampled too). */
    private readonly expected = 0,
  ) {}

  onBlock(): void {
    const n = ++this.count;
    if (n === 1 || n === this.warmup || n % SAMPLE_EVERY === 0 || n === this.expected) {
      const t = nowNs();
      if (n === 1) this.firstNs = t;
      if (n === this.warmup) this.warmNs = t;
      this.lastNs = t;
      this.lastCount = n;
    }
  }

  result(): SinkWindow {
    return { count: this.count, warmup: this.warmup, firstNs: this.firstNs, warmNs: this.warmNs || this.firstNs, lastNs: this.lastNs, lastCount: this.lastCount };
  }
}
