import { FRAME_HEADER, FrameKind, type Codec } from './types.js';

/** Where batches go: a net.Socket or anything with its write(). */
export interface FrameSink {
  /** `done` is called once the sink no longer holds `buf` (net.Socket: the write completed). */
  write(buf: Uint8Array, done?: () => void): boolean;
  readonly writableNeedDrain?: boolean;
  /** Bytes handed to write() and not yet passed on (net.Socket has it). */
  readonly writableLength?: number;
  /** Gather the next writes into one (net.Socket: writev). */
  cork?(): void;
  uncork?(): void;
}

export interface FrameWriterOptions {
  /** Flush at least this often (ms); 0 = at the end of the event-loop turn. Default 0. */
  flushMs?: number;
  /** Flush at once when the batch reaches this many bytes. Default 256 KiB. */
  flushBytes?: number;
  /** Bytes already sent on this stream before the writer's first frame (the handshake): for alignment. */
  streamOffset?: number;
}

const DEFAULT_FLUSH_BYTES = 256 * 1024;
/** Bytes before the payload in a DATA frame: header + u64 SQN. */
const DATA_PREFIX = FRAME_HEADER + 8;
const TWO_32 = 0x1_0000_0000;
/** Completed blocks kept for reuse: enough to cover the credit in flight (512 KiB) on a busy pipe. */
const MAX_SPARES = 4;
/** Room offered to Codec.encodeInto for one payload. */
const ENCODE_INTO_ROOM = 64;
/** Payloads at least this large are handed to the sink as they are (writev) instead of copied into the batch. */
export const ZERO_COPY_BYTES = 32 * 1024;

/**
 * Coalesces the frames of one connection into few large writes.
 *
 * Frames are written straight into a batch buffer (no per-frame allocation) and flushed once per
 * event-loop turn (setImmediate, scheduled once), after `flushMs` when that is > 0, or at once when
 * the batch reaches `flushBytes`. A flushed batch is a view handed to sink.write and not written again
 * while the sink still holds it: the next batch continues in the unused tail of the same block; when the
 * tail is too small, the batch so far is flushed and the block starts over if the sink has passed
 * everything on (writableLength 0), else the writer moves to a spare block whose writes have all
 * completed (write callbacks), else to a fresh one (Buffer.allocUnsafe). So a busy connection cycles
 * through a few blocks instead of leaving dead ones to the GC. Blocks grow to fit large frames.
 *
 * Payloads that need alignment (typed arrays viewed in place by the consumer) are preceded by a PAD
 * frame when needed, so they start at a stream offset that is a multiple of their alignment.
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
  /** block.byteLength, as a plain field (the hot path reads it per frame). */
  private blockLength: number;
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
  /** Stream offset of block[batchStart]: bytes handed to the sink so far, plus the handshake's. */
  private flushedOffset: number;

  constructor(sink: FrameSink, opts: FrameWriterOptions = {}) {
    this.sink = sink;
    this.flushMs = opts.flushMs ?? 0;
    this.flushBytes = Math.max(1, opts.flushBytes ?? DEFAULT_FLUSH_BYTES);
    // room for several batches per block, so small batches share one allocation
    this.blockSize = Math.max(2 * this.flushBytes, 256 * 1024);
    this.block = Buffer.allocUnsafe(this.blockSize);
    this.blockLength = this.blockSize;
    this.flushedOffset = opts.streamOffset ?? 0;
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
   * Append a DATA frame: u64 SQN (BE) | head (headSize bytes, BE) | payload, the payload starting at a
   * stream offset that is a multiple of `align` (a PAD frame first when needed).
   * `sqn` is an integer below 2^53, `head` fits in `headSize` (1..4) bytes; neither is checked here.
   */
  data(sqn: number, head: number, headSize: number, payload: Uint8Array, align = 1): void {
    if (this.closed) return;
    const length = payload.byteLength;
    if (align > 1) this.pad(DATA_PREFIX + headSize, align);
    const b = this.reserve(DATA_PREFIX + headSize + length);
    const p = this.prefix(b, sqn, head, headSize, length);
    b.set(payload, p);
    this.batchEnd = p + length;
    this.afterAppend();
  }

  /**
   * Like data(), but the payload goes to the sink as it is, after the batch (one writev), instead of
   * being copied. For payloads of ZERO_COPY_BYTES and more. Returns true when the sink still holds the
   * payload after the call: the caller must not change its bytes until `done` is called. (A socket
   * passes on at once what the kernel takes; `done` is called in any case, later.)
   */
  dataZeroCopy(sqn: number, head: number, headSize: number, payload: Uint8Array, align: number, done: () => void): boolean {
    if (this.closed) return false;
    if (align > 1) this.pad(DATA_PREFIX + headSize, align);
    const b = this.reserve(DATA_PREFIX + headSize);
    this.batchEnd = this.prefix(b, sqn, head, headSize, payload.byteLength);
    const sink = this.sink;
    sink.cork?.();
    this.flush();
    this.flushedOffset += payload.byteLength;
    this.lastWriteOk = sink.write(payload, done);
    sink.uncork?.();
    return sink.writableLength === undefined || sink.writableLength > 0;
  }

  /** Write the DATA prefix (header, SQN, head) at batchEnd; returns where the payload goes. */
  private prefix(b: Buffer, sqn: number, head: number, headSize: number, payloadLength: number): number {
    let p = writeU32(b, this.batchEnd, 1 + 8 + headSize + payloadLength);
    b[p++] = FrameKind.DATA;
    p = writeU32(b, p, sqn < TWO_32 ? 0 : Math.floor(sqn / TWO_32));
    p = writeU32(b, p, sqn >>> 0);
    for (let shift = (headSize - 1) * 8; shift >= 0; shift -= 8) b[p++] = (head >>> shift) & 0xff;
    return p;
  }

  /**
   * Append a PAD frame if the payload of a frame appended next, `prefix` bytes after its start, would
   * not start at a multiple of `align` in the stream. A frame has at least FRAME_HEADER bytes, so a
   * short gap is widened by whole multiples of `align`.
   */
  private pad(prefix: number, align: number): void {
    // stream offsets do not depend on where in a block the batch is (a move keeps its length)
    const at = this.flushedOffset + (this.batchEnd - this.batchStart) + prefix;
    let gap = (align - (at % align)) % align;
    if (gap === 0) return;
    while (gap < FRAME_HEADER) gap += align;
    const b = this.reserve(gap);
    const p = writeU32(b, this.batchEnd, gap - 4);
    b[p] = FrameKind.PAD;
    b.fill(0, p + 1, this.batchEnd + gap);
    this.batchEnd += gap;
  }

  /**
   * Append a DATA frame whose payload the codec writes straight into the batch (Codec.encodeInto).
   * Returns the payload's size, or -1, appending nothing, when the codec declines the value: then
   * encode() and data().
   */
  dataEncoded(sqn: number, head: number, headSize: number, codec: Codec, value: unknown): number {
    if (this.closed) return 0;
    const prefix = DATA_PREFIX + headSize;
    const b = this.batchEnd + prefix + ENCODE_INTO_ROOM <= this.blockLength ? this.block : this.reserve(prefix + ENCODE_INTO_ROOM);
    const payloadStart = this.batchEnd + prefix;
    const end = codec.encodeInto!(value, b, payloadStart, payloadStart + ENCODE_INTO_ROOM);
    if (end < 0) return -1;
    this.prefix(b, sqn, head, headSize, end - payloadStart);
    this.batchEnd = end;
    this.afterAppend();
    return end - payloadStart;
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

  /** Append a CREDIT frame that also acknowledges every block through `ackedSqn` (a pipe with a replay buffer). */
  creditAck(count: number, ackedSqn: number): void {
    if (this.closed) return;
    const b = this.reserve(FRAME_HEADER + 12);
    let p = writeU32(b, this.batchEnd, 13);
    b[p++] = FrameKind.CREDIT;
    p = writeU32(b, p, count);
    p = writeU32(b, p, Math.floor(ackedSqn / TWO_32));
    this.batchEnd = writeU32(b, p, ackedSqn >>> 0);
    this.afterAppend();
  }

  /** Append an END frame: `lastSqn` (u64 BE) is the last block sent. */
  end(lastSqn: number): void {
    this.u64Frame(FrameKind.END, lastSqn);
  }

  /** Append a RESUME frame: the consumer holds every block through `heldSqn`. */
  resume(heldSqn: number): void {
    this.u64Frame(FrameKind.RESUME, heldSqn);
  }

  private u64Frame(kind: number, value: number): void {
    if (this.closed) return;
    const b = this.reserve(FRAME_HEADER + 8);
    let p = writeU32(b, this.batchEnd, 9);
    b[p++] = kind;
    p = writeU32(b, p, Math.floor(value / TWO_32));
    this.batchEnd = writeU32(b, p, value >>> 0);
    this.afterAppend();
  }

  /** Write the batch now. */
  flush(): void {
    this.cancelTimers();
    if (this.batchEnd === this.batchStart) return;
    const batch = this.block.subarray(this.batchStart, this.batchEnd);
    this.flushedOffset += this.batchEnd - this.batchStart;
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

  /**
   * Make room for `bytes` more at `this.batchEnd`. When the block is full, its batch is written now
   * (not copied over) and the writer continues in a block nobody references any more.
   */
  private reserve(bytes: number): Buffer {
    if (this.batchEnd + bytes <= this.blockLength) return this.block;
    this.flush();
    let next: Buffer;
    // Every batch handed to the sink has been passed on: write the block again from the start instead
    // of leaving a dead block for the GC (it kept RSS high under load). Or take a block whose writes are
    // all done, or a fresh one.
    if (this.sink.writableLength === 0 && bytes <= this.block.byteLength) {
      next = this.block;
    } else {
      const spare = this.spares.pop();
      next = spare !== undefined && bytes <= spare.byteLength ? spare : Buffer.allocUnsafe(Math.max(this.blockSize, bytes));
    }
    this.block = next;
    this.blockLength = next.byteLength;
    this.batchStart = 0;
    this.batchEnd = 0;
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
