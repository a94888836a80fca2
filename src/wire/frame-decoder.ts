import { MarveloError } from '../errors.js';
import { FRAME_HEADER, MAX_FRAME } from './types.js';

/**
 * Receives one frame: its body is buf[start, end), valid only during the call (copy what must outlive
 * it). A range rather than a view, so a frame costs no allocation.
 */
export type FrameHandler = (kind: number, buf: Uint8Array, start: number, end: number) => void;

const EMPTY: Uint8Array = Buffer.alloc(0);
/** A body that spans chunks gets this much room at first, then room that doubles as its bytes arrive. */
const FIRST_BODY_ROOM = 64 * 1024;
const TWO_32 = 0x1_0000_0000;

/** Parser states. */
const State = { HEADER: 0, BODY: 1 } as const;
type State = (typeof State)[keyof typeof State];

/**
 * Splits a byte stream into frames: `u32 length (BE, counts kind + body) | u8 kind | body`.
 *
 * A state machine over arbitrary chunks: any split point works, including inside the 5-byte header.
 * A frame wholly inside one chunk is delivered as a range of that chunk (zero-copy); a frame that
 * spans chunks is assembled in a scratch buffer that is reused for the next one (it grows, as the
 * body's bytes arrive, to the largest frame seen and is kept: a length field alone never makes it
 * allocate more than twice what arrived). Either way the body is valid only during the callback.
 *
 * Never touches a socket. A bad length throws MRV_WIRE_FRAME from push(), and every later push()
 * throws the same error: the stream is out of step and the connection must be dropped. An exception
 * from onFrame propagates out of push(); the rest of that chunk is not parsed.
 */
export class FrameDecoder {
  /** The frame handler; may be replaced between frames (e.g. after a handshake). */
  onFrame: FrameHandler;
  private readonly maxFrame: number;
  private readonly pipe: string | undefined;

  private state: State = State.HEADER;
  private readonly header = new Uint8Array(FRAME_HEADER);
  private headerFill = 0;
  private kind = 0;
  private bodyLength = 0;
  private scratch: Uint8Array = EMPTY;
  private bodyFill = 0;

  private paused = false;
  /** Copies of bytes received (or left unparsed) while paused, in stream order. */
  private pending: Uint8Array[] = [];
  private failure: MarveloError | undefined;

  constructor(onFrame: FrameHandler, maxFrame: number = MAX_FRAME, pipe?: string) {
    this.onFrame = onFrame;
    this.maxFrame = maxFrame;
    this.pipe = pipe;
  }

  /** Feed the next chunk of the stream. The chunk may be reused by the caller once push returns. */
  push(chunk: Uint8Array): void {
    if (this.failure) throw this.failure;
    if (this.paused) {
      if (chunk.byteLength > 0) this.pending.push(copyBytes(chunk, 0, chunk.byteLength));
      return;
    }
    this.parse(chunk, 0);
  }

  /**
   * Stop delivering frames. Called from inside onFrame, delivery stops right after that frame and the
   * rest of the chunk is kept; later pushes are kept too, until resume() or takePending().
   */
  pause(): void {
    this.paused = true;
  }

  /** Deliver what was kept while paused, then continue normally. */
  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    while (!this.paused && this.pending.length > 0) {
      if (this.failure) throw this.failure;
      this.parse(this.pending.shift()!, 0);
    }
  }

  /**
   * Every byte received but not yet delivered as a frame (a partly received frame included), as one
   * fresh buffer; the decoder is left empty, at a frame boundary. Hands a stream over to another reader.
   */
  takePending(): Uint8Array {
    const parts: Uint8Array[] = [];
    if (this.state === State.HEADER) {
      if (this.headerFill > 0) parts.push(this.header.slice(0, this.headerFill));
    } else {
      parts.push(this.header.slice(), copyBytes(this.scratch, 0, this.bodyFill));
    }
    parts.push(...this.pending);
    this.pending = [];
    this.state = State.HEADER;
    this.headerFill = 0;
    this.bodyFill = 0;
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }

  /** True when no partial frame is buffered and nothing is kept. */
  get idle(): boolean {
    return this.state === State.HEADER && this.headerFill === 0 && this.pending.length === 0;
  }

  private parse(chunk: Uint8Array, start: number): void {
    const end = chunk.byteLength;
    let pos = start;
    while (pos < end) {
      if (this.paused) {
        // stopped from inside onFrame: keep the rest ahead of anything kept later
        this.pending.unshift(copyBytes(chunk, pos, end));
        return;
      }
      if (this.state === State.HEADER) {
        if (this.headerFill === 0 && end - pos >= FRAME_HEADER) {
          // fast path: the whole header is in this chunk
          const length = readU32(chunk, pos);
          this.checkLength(length, chunk, pos);
          const kind = chunk[pos + 4]!;
          const frameEnd = pos + 4 + length;
          if (frameEnd <= end) {
            const bodyStart = pos + FRAME_HEADER;
            pos = frameEnd;
            this.onFrame(kind, chunk, bodyStart, frameEnd);
            continue;
          }
          this.header.set(chunk.subarray(pos, pos + FRAME_HEADER));
          this.beginBody(kind, length - 1);
          pos += FRAME_HEADER;
          continue;
        }
        const n = Math.min(FRAME_HEADER - this.headerFill, end - pos);
        this.header.set(chunk.subarray(pos, pos + n), this.headerFill);
        this.headerFill += n;
        pos += n;
        if (this.headerFill < FRAME_HEADER) return;
        const length = readU32(this.header, 0);
        this.headerFill = 0;
        this.checkLength(length, this.header, 0);
        const kind = this.header[4]!;
        if (length === 1) {
          this.onFrame(kind, EMPTY, 0, 0);
          continue;
        }
        this.beginBody(kind, length - 1);
      } else {
        const n = Math.min(this.bodyLength - this.bodyFill, end - pos);
        if (this.bodyFill + n > this.scratch.byteLength) this.growScratch(this.bodyFill + n);
        this.scratch.set(chunk.subarray(pos, pos + n), this.bodyFill);
        this.bodyFill += n;
        pos += n;
        if (this.bodyFill < this.bodyLength) return;
        this.state = State.HEADER;
        this.bodyFill = 0;
        this.onFrame(this.kind, this.scratch, 0, this.bodyLength);
      }
    }
  }

  private beginBody(kind: number, bodyLength: number): void {
    this.kind = kind;
    this.bodyLength = bodyLength;
    this.bodyFill = 0;
    // a Buffer, so bodies are Buffers whether or not they span chunks (socket chunks are Buffers)
    if (this.scratch.byteLength < Math.min(bodyLength, FIRST_BODY_ROOM)) this.scratch = Buffer.allocUnsafeSlow(Math.min(bodyLength, FIRST_BODY_ROOM));
    this.state = State.BODY;
  }

  /** Room for at least `bytes` of the current body, keeping what arrived of it. */
  private growScratch(bytes: number): void {
    const next = Buffer.allocUnsafeSlow(Math.min(this.bodyLength, Math.max(bytes, 2 * this.scratch.byteLength)));
    next.set(this.scratch.subarray(0, this.bodyFill));
    this.scratch = next;
  }

  private checkLength(length: number, bytes: Uint8Array, at: number): void {
    if (length !== 0 && length <= this.maxFrame) return;
    this.failure = frameLengthError(length, bytes, at, this.maxFrame, this.pipe);
    throw this.failure;
  }
}

/** MRV_WIRE_FRAME for a frame length of 0 or over `maxFrame` (the header at bytes[at..]). */
export function frameLengthError(length: number, bytes: Uint8Array, at: number, maxFrame: number, pipe: string | undefined): MarveloError {
  const hex = Buffer.from(bytes.subarray(at, at + FRAME_HEADER)).toString('hex');
  const what = length === 0 ? 'a frame length of 0 (a frame has at least its kind byte)' : `a frame length of ${length} bytes, over the limit of ${maxFrame}`;
  const details: { hint: string; pipe?: string } = {
    hint: 'the peer is not a marvelo worker of this version, or the byte stream lost its framing',
  };
  if (pipe !== undefined) details.pipe = pipe;
  return new MarveloError('MRV_WIRE_FRAME', `received ${what} (header bytes ${hex})`, details);
}

/** A fresh copy (Buffer#slice would return a view). */
function copyBytes(chunk: Uint8Array, start: number, end: number): Uint8Array {
  const out = new Uint8Array(end - start);
  out.set(chunk.subarray(start, end));
  return out;
}

/** u32 big-endian at `at` (caller checked the bounds). */
export function readU32(b: Uint8Array, at: number): number {
  return b[at]! * 0x100_0000 + ((b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!);
}

/** u64 big-endian at `at` as a number; exact below 2^53. */
export function readU64(b: Uint8Array, at: number): number {
  const high = readU32(b, at);
  return high === 0 ? readU32(b, at + 4) : high * TWO_32 + readU32(b, at + 4);
}

/** Bytes of a DATA body before the head: the u64 SQN. */
export const DATA_SQN_BYTES = 8;

/** SQN of the DATA body starting at `start` (u64 BE; SQNs stay below 2^53). */
export function dataSqn(buf: Uint8Array, start: number): number {
  return readU64(buf, start);
}

/** Head of the DATA body starting at `start`: `headSize` (1..4) bytes big-endian after the SQN, unsigned. */
export function dataHead(buf: Uint8Array, start: number, headSize: number): number {
  const at = start + DATA_SQN_BYTES;
  switch (headSize) {
    case 1:
      return buf[at]!;
    case 2:
      return (buf[at]! << 8) | buf[at + 1]!;
    case 3:
      return (buf[at]! << 16) | (buf[at + 1]! << 8) | buf[at + 2]!;
    default:
      return readU32(buf, at);
  }
}

/** Where the payload of the DATA body starting at `start` begins (it ends where the body ends). */
export function dataPayloadStart(start: number, headSize: number): number {
  return start + DATA_SQN_BYTES + headSize;
}
