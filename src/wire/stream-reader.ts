import type { OnReadOpts } from 'node:net';
import { frameLengthError, readU32, type FrameHandler } from './frame-decoder.js';
import { FRAME_HEADER, MAX_FRAME, STREAM_ALIGN } from './types.js';

export interface StreamReaderOptions {
  /**
   * true: frames are read into arenas that are never written again, so a frame's bytes stay valid for
   * as long as anything references them and a codec may return views of them (zero-copy values).
   * false: one read buffer is reused; a frame's body is valid only during its callback.
   */
  keep: boolean;
  maxFrame?: number;
  /** Named in errors. */
  pipe?: string;
}

/** A keep-mode arena: reads of up to this much go into one arena. */
const ARENA_BYTES = 128 * 1024;
/** The reused buffer of reuse mode... */
const REUSE_BYTES = 256 * 1024;
/** ...grown to this many frames once a frame of OWN_ARENA_FRAME or more arrives... */
const REUSE_LARGE_FRAMES = 16;
/** ...but not beyond this (unless one frame needs more). */
const REUSE_MAX_BYTES = 4 * 1024 * 1024;
/** Start a new arena (or move the partial frame) when less room than this is left for the next read. */
const MIN_READ = 16 * 1024;
/** A frame at least this long gets an arena of its own size in keep mode: its value owns (nearly) only its bytes. */
const OWN_ARENA_FRAME = 32 * 1024;
/** Room after a large frame in its own arena: what the same read brings of the next frame is copied from there. */
const OWN_ARENA_SPILL = 64;
/**
 * A frame longer than this is given room as its bytes arrive (twice what arrived, at least this much),
 * not all at once: a length field alone never makes the reader allocate up to the frame limit.
 */
const RESERVE_AHEAD = 1024 * 1024;

/**
 * Reads one socket's frames into memory it chooses, through Node's `onread` option (`net.connect({
 * onread: reader.onread })`): the kernel writes straight into it, with no per-read allocation.
 *
 * - Keep mode (codecs whose values are views of the payload): reads go into fresh arenas. A frame that
 *   does not fit the rest of an arena is moved to a new one, which is sized to the frame when it is
 *   large, so the kernel writes a 64 KiB block straight into the memory that becomes its value.
 * - Reuse mode (decoding copies, or the job borrows its input): one buffer for the whole connection; a
 *   partial frame moves to its start (growing it for a frame larger than the buffer).
 *
 * In both, positions keep the stream offset's residue modulo STREAM_ALIGN: a payload the producer
 * aligned in the stream (PAD frames) is aligned in memory, so a typed array can view it.
 *
 * The same state machine as FrameDecoder (any split point, bad lengths are MRV_WIRE_FRAME), but the
 * bytes stay where they landed. `onFrame` may be replaced between frames (after a handshake) and
 * `pause()` inside it stops delivery right after that frame: the socket stops reading until `resume()`.
 */
export class StreamReader {
  onFrame: FrameHandler;
  /**
   * While set, frames go here instead of to onFrame: the handshake's. A call site of its own keeps the
   * data path's `onFrame` call monomorphic, so V8 inlines it into the parse loop (sharing one call site
   * with the handshake's handler cost the sink and the forward 15-20 ns per frame).
   */
  onHandshake: FrameHandler | undefined;
  /** Called after the frames of each read were delivered. */
  onRead: (() => void) | undefined;
  /** A stream error (bad frame length) or an exception from onFrame: reading has stopped. */
  onError: ((err: unknown) => void) | undefined;
  /** Pass as the socket's `onread`. */
  readonly onread: OnReadOpts;

  /** Longer frames are MRV_WIRE_FRAME (lowered during a handshake, so nobody unauthenticated makes us allocate). */
  maxFrame: number;
  private readonly keep: boolean;
  private readonly pipe: string | undefined;
  private buf: Buffer;
  /** Next unparsed byte. */
  private r = 0;
  /** End of the bytes read. */
  private w = 0;
  private paused = false;
  private failed = false;

  constructor(onFrame: FrameHandler, opts: StreamReaderOptions) {
    this.onFrame = onFrame;
    this.keep = opts.keep;
    this.maxFrame = opts.maxFrame ?? MAX_FRAME;
    this.pipe = opts.pipe;
    this.buf = Buffer.allocUnsafeSlow(this.keep ? ARENA_BYTES : REUSE_BYTES);
    this.onread = {
      buffer: () => this.buf.subarray(this.w),
      callback: (nread: number) => this.received(nread),
    };
  }

  /** Bytes read and not yet delivered. */
  get buffered(): number {
    return this.w - this.r;
  }

  /** Called from onFrame: deliver nothing more until resume(); the socket stops reading. */
  pause(): void {
    this.paused = true;
  }

  /** Deliver what was read meanwhile, then let the socket read again. */
  resume(socket: { resume(): unknown }): void {
    if (!this.paused) return;
    this.paused = false;
    if (this.parse(false)) socket.resume();
  }

  /** `nread` more bytes were read into the buffer handed out last. Returns false to stop reading. */
  private received(nread: number): boolean {
    this.w += nread;
    return this.parse(true);
  }

  /**
   * Delivers the complete frames read so far. Only inside a read callback (`inRead`) may the buffer be
   * rearranged for the next read: Node asks for the next read's buffer right after the callback and
   * reads into it whenever reading resumes, so outside a callback `buf` and `w` must stay as they were.
   */
  private parse(inRead: boolean): boolean {
    if (this.failed) return false;
    const buf = this.buf;
    try {
      while (!this.paused && this.w - this.r >= FRAME_HEADER) {
        const at = this.r;
        const length = readU32(buf, at);
        this.checkLength(length, at);
        const end = at + 4 + length;
        if (end > this.w) break;
        this.r = end;
        if (this.onHandshake === undefined) this.onFrame(buf[at + 4]!, buf, at + FRAME_HEADER, end);
        else this.onHandshake(buf[at + 4]!, buf, at + FRAME_HEADER, end);
      }
    } catch (err) {
      this.failed = true;
      this.onError?.(err);
      return false;
    }
    if (inRead) this.makeRoom();
    this.onRead?.();
    return !this.paused && !this.failed;
  }

  /**
   * Make sure the next read has room, and that a partial frame can complete where it is. What is
   * pending may be several frames (delivery paused), or the start of one (`need` is its whole length).
   */
  private makeRoom(): void {
    const buf = this.buf;
    const pending = this.w - this.r;
    const whole = pending >= FRAME_HEADER ? 4 + readU32(buf, this.r) : 0;
    /** The first frame, or as much of it as is worth reserving before more of it arrives. */
    const first = Math.min(whole, Math.max(RESERVE_AHEAD, 2 * pending));
    /** Bytes from `r` on that must stay together: what is pending, or the first frame. */
    const need = Math.max(pending, first);
    const room = buf.byteLength - this.w;
    // Positions keep the stream offset's residue modulo STREAM_ALIGN in both modes, so a payload the
    // producer aligned is aligned in memory and a typed array can view it.
    const shift = this.r % STREAM_ALIGN;
    if (!this.keep) {
      if (pending === 0) {
        this.r = this.w = shift;
      } else if (room < MIN_READ || this.r + need > buf.byteLength) {
        // The partial frame moves to the start. For large frames the buffer grows to hold many, so this
        // move (up to a frame's bytes, copied again) comes once per REUSE_LARGE_FRAMES frames, not every
        // few: in a 256 KiB buffer, 64 KiB frames moved ~30% of the stream's bytes a second time.
        const size = Math.max(shift + need + MIN_READ, first >= OWN_ARENA_FRAME ? Math.min(REUSE_MAX_BYTES, REUSE_LARGE_FRAMES * first) : 0);
        const next = size > buf.byteLength ? Buffer.allocUnsafeSlow(size) : buf;
        buf.copy(next, shift, this.r, this.w);
        this.buf = next;
        this.r = shift;
        this.w = shift + pending;
      }
      return;
    }
    const fits = this.r + need <= buf.byteLength;
    // Enough room for a read, or a partial frame that completes here (the short room matters only after it).
    if (fits && (room >= MIN_READ || (first > pending && room > 0))) return;
    // A new arena. A large frame gets one of its own size (plus a little, for the PAD and header of the
    // next frame to land in).
    const ownArena = first >= OWN_ARENA_FRAME && first >= pending;
    const size = ownArena ? shift + first + OWN_ARENA_SPILL : Math.max(ARENA_BYTES, shift + need + MIN_READ);
    const next = Buffer.allocUnsafeSlow(size);
    if (pending > 0) buf.copy(next, shift, this.r, this.w);
    this.buf = next;
    this.r = shift;
    this.w = shift + pending;
  }

  private checkLength(length: number, at: number): void {
    if (length !== 0 && length <= this.maxFrame) return;
    throw frameLengthError(length, this.buf, at, this.maxFrame, this.pipe);
  }
}
