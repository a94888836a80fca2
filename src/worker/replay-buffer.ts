import { BlockQueue } from '../sync/block-queue.js';

/** Blocks kept at most, and bytes: beyond either the producer waits for acknowledgements. */
export const REPLAY_MAX_BLOCKS = 128 * 1024;
export const REPLAY_MAX_BYTES = 64 * 1024 * 1024;

/**
 * The blocks a producer sent on a restartable pipe that its consumer has not acknowledged as processed
 * (DESIGN 7). Acknowledgements free them; when the consumer is replaced, the new one first gets every
 * kept block it does not hold (rewind), in order, before any new block.
 *
 * Bounded: `room` falls to 0 when the buffer is full and the producer then waits, as it waits for
 * credit. Acknowledgements trail processing by at most the consumer's ack step, and a consumer with
 * nothing queued acknowledges at once, so a full buffer always drains.
 */
export class ReplayBuffer {
  private readonly kept = new BlockQueue<Uint8Array>(64);
  private bytes = 0;
  /** Index (from the oldest kept block) of the next block to send again; = length when none. */
  private resendAt = 0;

  constructor(
    private readonly maxBlocks = REPLAY_MAX_BLOCKS,
    private readonly maxBytes = REPLAY_MAX_BYTES,
  ) {}

  /** Blocks that may be sent before the buffer is full. */
  get room(): number {
    return this.bytes >= this.maxBytes ? 0 : this.maxBlocks - this.kept.length;
  }

  get length(): number {
    return this.kept.length;
  }

  /** A block was sent: keep a copy of its payload (the caller's bytes may be a scratch view). */
  keep(sqn: number, head: number, payload: Uint8Array): void {
    this.hold(sqn, head, payload);
    this.resendAt = this.kept.length;
  }

  /** A block made while no credit let it out (its consumer was being replaced): kept, and sent first once credit comes. */
  hold(sqn: number, head: number, payload: Uint8Array): void {
    this.kept.push(sqn, head, Uint8Array.prototype.slice.call(payload));
    this.bytes += payload.byteLength;
  }

  /** The consumer processed every block through `sqn`: they are never needed again. */
  acknowledge(sqn: number): void {
    const kept = this.kept;
    while (kept.length > 0 && kept.firstSqn() <= sqn) {
      this.bytes -= kept.firstPayload().byteLength;
      kept.shift();
      if (this.resendAt > 0) this.resendAt--;
    }
  }

  /**
   * A new connection whose consumer holds every block through `heldSqn`: the kept blocks after it are
   * sent again. Those it holds stay kept until they are acknowledged (processed), as before.
   */
  rewind(heldSqn: number): void {
    let i = 0;
    while (i < this.kept.length && this.kept.sqnAt(i) <= heldSqn) i++;
    this.resendAt = i;
  }

  /** Kept blocks still to be sent again to the new consumer. */
  get toResend(): number {
    return this.kept.length - this.resendAt;
  }

  /** The next block to send again (only while toResend > 0): its SQN, head and payload, then advance(). */
  get resendSqn(): number {
    return this.kept.sqnAt(this.resendAt);
  }

  get resendHead(): number {
    return this.kept.headAt(this.resendAt);
  }

  get resendPayload(): Uint8Array {
    return this.kept.payloadAt(this.resendAt);
  }

  advance(): void {
    this.resendAt++;
  }
}
