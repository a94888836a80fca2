import { FRAME_HEADER, FrameKind, type Codec } from './types.js';

/** Where batches go: a net.Socket or anything with its write(). */
export interface FrameSink {
  /** `done` is called once the sink no longer holds `buf` (net.Socket: the write completed). */
  write(buf: Uint8Array, done?: () => void): boolean;
  readonly writableNeedDrain?: boolean;
  /** Bytes handed to write() and not yet passed on (net.Socket has it). */
  readonly writableLength?: number;
}

export interface FrameWriterOptions {
  /** Flush at least this often (ms); 0 = at the end of the event-loop turn. Default 0. */
  flushMs?: number;
  /** Flush at once when the batch reaches this many bytes. Default 64 KiB. */
  flushBytes?: number;
}

const DEFAULT_FLUSH_BYTES = 64 * 1024;
/** Bytes before the payload in a DATA frame: header + u64 SQN. */
const DATA_PREFIX = FRAME_HEADER + 8;
const TWO_32 = 0x1_0000_0000;
/** Completed blocks kept for reuse: enough to cover the credit in flight (512 KiB) on a busy pipe. */
const MAX_SPARES = 4;
/** Room offered to Codec.encodeInto for one payload. */
const ENCODE_INTO_ROOM = 64;

/**
 * Coalesces the frames of one connection into few large writes.
 *
 * Frames are written straight into a batch buffer (no per-frame allocation) and flushed once per
 * event-loop turn (setImmediate, scheduled once), after `flushMs` when that is > 0, or at once when
 * the batch reaches `flushBytes`. A flushed batch is a view handed to sink.write and not written again
 * while the sink still holds it: the next batch continues in the unused tail of the same block; when the
 * tail is too small, the block starts over if the sink has passed everything on (writableLength 0),
 * else the writer moves to a spare block whose writes have all completed (write callbacks), else to a
 * fresh one (Buffer.allocUnsafe). So a busy connection cycles through a few blocks instead of leaving
 * dead ones to the GC. Blocks grow to fit large frames.
 *
 * No backpressure here: credit-based flow control bounds what is in flight. `needsDrain` tells
 * whether the sink asked to wait.
 */
export class FrameWriter {
  private readonly sink: FrameSink;
  private readonly flushMs: number;
  private readonly flushBytes: number;
  private readonly blockSize: number;

  private block: Buffer;
  /** The block of every batch handed to the sink and not yet done, in write order. */
  private readonly writing: Buffer[] = [];
  /** Blocks whose batches are all done: taken instead of a new allocation when the block fills. */
  private readonly spares: Buffer[] = [];
  /** Start of the unflushed batch in `block`. */
  private batchStart = 0;
  /** End of the batch (next write position). */
  private batchEnd = 0;
  private immediate: NodeJS.Immediate | undefined;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private lastWriteOk = true;

  constructor(sink: FrameSink, opts: FrameWriterOptions = {}) {
    this.sink = sink;
    this.flushMs = opts.flushMs ?? 0;
    this.flushBytes = Math.max(1, opts.flushBytes ?? DEFAULT_FLUSH_BYTES);
    // room for several batches per block, so small batches share one allocation
    this.blockSize = Math.max(4 * this.flushBytes, 256 * 1024);
    this.block = Buffer.allocUnsafe(this.blockSize);
  }

  /** Bytes waiting for the next flush. */
  get pendingBytes(): number {
    return this.batchEnd - this.batchStart;
  }

  /** True when the last write returned false or the sink reports it needs a drain. */
  get needsDrain(): boolean {
    return this.sink.writableNeedDrain ?? !this.lastWriteOk;
  }

  /**
   * Append a DATA frame: u64 SQN (BE) | head (headSize bytes, BE) | payload.
   * `sqn` is an integer below 2^53, `head` fits in `headSize` (1..4) bytes; neither is checked here.
   */
  data(sqn: number, head: number, headSize: number, payload: Uint8Array): void {
    if (this.closed) return;
    const bodyLength = 8 + headSize + payload.byteLength;
    const b = this.reserve(FRAME_HEADER + bodyLength);
    let p = this.batchEnd;
    p = writeU32(b, p, bodyLength + 1);
    b[p++] = FrameKind.DATA;
    p = writeU32(b, p, Math.floor(sqn / TWO_32));
    p = writeU32(b, p, sqn >>> 0);
    for (let shift = (headSize - 1) * 8; shift >= 0; shift -= 8) b[p++] = (head >>> shift) & 0xff;
    b.set(payload, p);
    this.batchEnd = p + payload.byteLength;
    this.afterAppend();
  }

  /**
   * Append a DATA frame whose payload the codec writes straight into the batch (Codec.encodeInto).
   * Returns the payload's size, or -1, appending nothing, when the codec declines the value: then
   * encode() and data().
   */
  dataEncoded(sqn: number, head: number, headSize: number, codec: Codec, value: unknown): number {
    if (this.closed) return 0;
    const prefix = DATA_PREFIX + headSize;
    const b = this.reserve(prefix + ENCODE_INTO_ROOM);
    const frameStart = this.batchEnd;
    const end = codec.encodeInto!(value, b, frameStart + prefix, frameStart + prefix + ENCODE_INTO_ROOM);
    if (end < 0) return -1;
    let p = writeU32(b, frameStart, end - frameStart - 4);
    b[p++] = FrameKind.DATA;
    p = writeU32(b, p, Math.floor(sqn / TWO_32));
    p = writeU32(b, p, sqn >>> 0);
    for (let shift = (headSize - 1) * 8; shift >= 0; shift -= 8) b[p++] = (head >>> shift) & 0xff;
    this.batchEnd = end;
    this.afterAppend();
    return end - frameStart - prefix;
  }

  /** Append a frame of any kind with an optional body. */
  frame(kind: number, body?: Uint8Array): void {
    if (this.closed) return;
    const bodyLength = body === undefined ? 0 : body.byteLength;
    const b = this.reserve(FRAME_HEADER + bodyLength);
    let p = writeU32(b, this.batchEnd, bodyLength + 1);
    b[p++] = kind;
    if (body !== undefined) b.set(body, p);
    this.batchEnd = p + bodyLength;
    this.afterAppend();
  }

  /** Append a CREDIT frame granting `count` more blocks (u32 BE). */
  credit(count: number): void {
    this.u32Frame(FrameKind.CREDIT, count);
  }

  /** Append an END frame: `lastSqn` (u64 BE) is the last block sent. */
  end(lastSqn: number): void {
    if (this.closed) return;
    const b = this.reserve(FRAME_HEADER + 8);
    let p = writeU32(b, this.batchEnd, 9);
    b[p++] = FrameKind.END;
    p = writeU32(b, p, Math.floor(lastSqn / TWO_32));
    this.batchEnd = writeU32(b, p, lastSqn >>> 0);
    this.afterAppend();
  }

  /** Write the batch now. */
  flush(): void {
    this.cancelTimers();
    if (this.batchEnd === this.batchStart) return;
    const batch = this.block.subarray(this.batchStart, this.batchEnd);
    this.batchStart = this.batchEnd;
    this.writing.push(this.block);
    this.lastWriteOk = this.sink.write(batch, this.onWritten);
  }

  /** A write completed (writes complete in order): a retired block with no batch left in flight is free. */
  private readonly onWritten = (): void => {
    const block = this.writing.shift();
    if (block !== undefined && block !== this.block && this.writing[0] !== block && this.spares.length < MAX_SPARES) {
      this.spares.push(block);
    }
  };

  /** Cancel the pending flush and drop unflushed frames; later frames are ignored. Call flush() first to keep them. */
  close(): void {
    this.cancelTimers();
    this.closed = true;
    this.batchStart = this.batchEnd;
  }

  private u32Frame(kind: number, value: number): void {
    if (this.closed) return;
    const b = this.reserve(FRAME_HEADER + 4);
    let p = writeU32(b, this.batchEnd, 5);
    b[p++] = kind;
    this.batchEnd = writeU32(b, p, value);
    this.afterAppend();
  }

  /** Make room for `bytes` more at `this.batchEnd`, moving the unflushed batch to a new block if needed. */
  private reserve(bytes: number): Buffer {
    if (this.batchEnd + bytes <= this.block.byteLength) return this.block;
    const pending = this.batchEnd - this.batchStart;
    // Every batch handed to the sink has been passed on (nothing references the block): write it again
    // from the start instead of leaving a dead block for the GC (it kept RSS high under load).
    if (this.sink.writableLength === 0 && pending + bytes <= this.block.byteLength) {
      if (pending > 0) this.block.copyWithin(0, this.batchStart, this.batchEnd);
      this.batchStart = 0;
      this.batchEnd = pending;
      return this.block;
    }
    // Or move on to a block whose writes are all done.
    const spare = this.spares.pop();
    if (spare !== undefined && pending + bytes <= spare.byteLength) {
      if (pending > 0) this.block.copy(spare, 0, this.batchStart, this.batchEnd);
      this.block = spare;
      this.batchStart = 0;
      this.batchEnd = pending;
      return spare;
    }
    const next = Buffer.allocUnsafe(Math.max(this.blockSize, pending + bytes));
    if (pending > 0) this.block.copy(next, 0, this.batchStart, this.batchEnd);
    this.block = next;
    this.batchStart = 0;
    this.batchEnd = pending;
    return next;
  }

  private afterAppend(): void {
    if (this.batchEnd - this.batchStart >= this.flushBytes) {
      this.flush();
    } else if (this.flushMs > 0) {
      this.timer ??= setTimeout(this.onTimer, this.flushMs);
    } else {
      this.immediate ??= setImmediate(this.onTimer);
    }
  }

  private readonly onTimer = (): void => {
    this.immediate = undefined;
    this.timer = undefined;
    this.flush();
  };

  private cancelTimers(): void {
    if (this.immediate !== undefined) {
      clearImmediate(this.immediate);
      this.immediate = undefined;
    }
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
  }
}

function writeU32(b: Uint8Array, p: number, v: number): number {
  b[p] = v >>> 24;
  b[p + 1] = (v >>> 16) & 0xff;
  b[p + 2] = (v >>> 8) & 0xff;
  b[p + 3] = v & 0xff;
  return p + 4;
}
