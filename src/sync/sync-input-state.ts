import { BlockQueue } from './block-queue.js';
import { assertHeadSize, resizeHead } from './head-bits.js';
import type { InputStats, SyncInputSpec } from './types.js';

/** What the round assembler knows about one synchronous input. */
export class SyncInputState<P> {
  readonly queue = new BlockQueue<P>();
  readonly blockCount: number;
  readonly stats: InputStats = { consumed: 0, dummies: 0, stale: 0, incomplete: 0 };
  /** No more blocks will arrive. */
  ended = false;
  /** The SQN of the last block the producer made (sent or dropped), known once the input has ended. */
  lastSqn = 0;
  /** The queue's first block is a reset: this input gives dummies until every input has reset. */
  resetHeld = false;
  /** The queue's first block starts the stream (start-up or restart): its reset bit is not a new reset. */
  atStart = false;
  /** Real blocks placed in the round being assembled (incomplete if that round never completes). */
  placed = 0;
  /** Dummies placed in the round being assembled: they are not delivered if that round never completes. */
  placedDummies = 0;
  #prev: P;
  readonly #spec: SyncInputSpec<P>;
  readonly #jobHeadSize: number;

  constructor(spec: SyncInputSpec<P>, jobHeadSize: number) {
    if (!Number.isInteger(spec.blockCount) || spec.blockCount < 1) {
      throw new RangeError(`blockCount must be an integer >= 1, got ${spec.blockCount}`);
    }
    assertHeadSize(spec.wireHeadSize);
    this.blockCount = spec.blockCount;
    this.#spec = spec;
    this.#jobHeadSize = jobHeadSize;
    this.#prev = spec.zero;
  }

  /** Queues a block, its head converted from the wire's head size to the job's. */
  enqueue(sqn: number, wireHead: number, payload: P): void {
    this.queue.push(sqn, this.jobHead(wireHead), payload);
  }

  /** A head of this input's wire size, in the job's head size. */
  jobHead(wireHead: number): number {
    return resizeHead(wireHead >>> 0, this.#spec.wireHeadSize, this.#jobHeadSize);
  }

  /** A block delivered as it arrived, never queued (RoundAssembler.takeInOrder); it may be borrowed. */
  takeDirect(payload: P): void {
    const own = this.#spec.own;
    this.#prev = own !== undefined && this.#spec.dummy === 'prev' ? own(payload) : payload;
    this.atStart = false;
    this.stats.consumed++;
  }

  /** Takes the first queued block as delivered and returns its payload. */
  takeFirst(): P {
    const payload = this.queue.firstPayload();
    this.queue.shift();
    this.#prev = payload;
    this.atStart = false;
    this.placed++;
    this.stats.consumed++;
    return payload;
  }

  /** Discards the first queued block as older than expected. */
  discardStale(): void {
    this.queue.shift();
    this.atStart = false;
    this.stats.stale++;
    this.stats.consumed++;
  }

  /** The payload of a dummy; 'prev' repeats the last delivered payload, or zero before any. */
  dummyPayload(): P {
    this.stats.dummies++;
    this.placedDummies++;
    return this.#spec.dummy === 'prev' ? this.#prev : this.#spec.zero;
  }

  /**
   * Stops the input for good; whatever it still holds is counted as incomplete, and so are the slots of
   * the unfinished round, the dummies among them too (no job gets them).
   */
  abandon(): void {
    this.stats.incomplete += this.queue.length + this.placed + this.placedDummies;
    this.stats.dummies -= this.placedDummies;
    this.placed = 0;
    this.placedDummies = 0;
    while (this.queue.length > 0) this.queue.shift();
  }
}
