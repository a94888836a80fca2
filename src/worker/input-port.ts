import type { Socket } from 'node:net';
import type { PipeSpec } from '../config/types.js';
import type { PipeCounters } from '../control/messages.js';
import { MarveloError } from '../errors.js';
import { dataHead, dataPayloadStart, dataSqn, readU64 } from '../wire/frame-decoder.js';
import { FrameWriter } from '../wire/frame-writer.js';
import { StreamReader } from '../wire/stream-reader.js';
import { FrameKind, type Codec } from '../wire/types.js';
import { newCounters } from './counters.js';

export interface InputSink {
  /** One block, in stream order: queue it (the job runs later, once per received chunk). */
  block(sqn: number, head: number, value: unknown): void;
  /** A received chunk has been queued: let the job run. */
  arrived(): void;
  /** The stream ended; `lastSqn` is the last SQN the producer made (its last blocks may have been dropped). */
  end(lastSqn: number): void;
  /** Blocks of this input waiting in the job's queue. */
  queued(): number;
}

/** Credit in flight is counted in bytes too: small blocks get up to this much, so a hop stays busy across wake-ups. */
const IN_FLIGHT_BYTES = 512 * 1024;
/** ...but never more blocks than this in flight on one pipe... */
const MAX_IN_FLIGHT_BLOCKS = 32 * 1024;
/** ...nor more bytes than this, however large `max_queue` is (1024 blocks of 64 KiB would be 64 MiB). */
const MAX_IN_FLIGHT_BYTES = 4 * 1024 * 1024;
/** How long a finished consumer waits for its producer to close its side before it closes anyway. */
const CLOSE_GRACE_MS = 5000;
/** Frame bytes around a payload (header, SQN, head): counted with the payload for the byte budget. */
const FRAME_OVERHEAD = 14;

/**
 * The consumer end of one pipe: decodes blocks into the job's sync or optional queue and grants the
 * producer credit.
 *
 * Credit is granted as blocks *arrive*, before the job runs on them, rather than as the job consumes
 * them: the producer refills during the job's work instead of after it. The credit in flight (the
 * producer's credit plus blocks on their way) is topped up to max(window, 512 KiB of blocks of the size
 * seen so far), so a pipe of small blocks keeps enough in flight to ride over process wake-ups while a
 * pipe of large blocks stays at `max_queue` blocks. Once `max_queue` blocks wait for the job, grants stop
 * until it drains them, so backpressure still reaches the sources and an input never holds more than
 * `max_queue` blocks plus what was in flight. Grants go out at a low-water mark (a quarter of the
 * allowance), at once.
 *
 * The consumer dials its producer and reads through a StreamReader: in keep mode for zero-copy codecs
 * (bytes and typed arrays are views of the memory the kernel wrote them to), else into one reused buffer.
 */
export class InputPort {
  readonly name: string;
  readonly counters: PipeCounters = newCounters();
  /** Credit window in blocks (max_queue, never below two rounds). */
  readonly window: number;
  /** Two rounds (and at least 4 blocks) may always be in flight. */
  private readonly minInFlight: number;
  /** Credit granted and not yet used up by an arrived block: the producer's credit plus blocks in flight. */
  private outstanding = 0;
  private socket: Socket | undefined;
  private writer: FrameWriter | undefined;
  /** Reads this pipe's stream: connectPeer dials with it, attach() takes over its frames. */
  readonly reader: StreamReader;
  ended = false;
  /** The END frame's SQN: the last block the producer made. */
  private lastSqn = 0;

  /**
   * `borrowed`: the job borrows its input (ScriptJob.BORROW): even a zero-copy codec's blocks are read
   * into one reused buffer, so the values it decodes are valid only until the job's run() returns.
   */
  constructor(
    readonly spec: PipeSpec,
    readonly codec: Codec,
    private readonly sink: InputSink,
    private readonly onFailure: (err: MarveloError) => void,
    readonly borrowed = false,
  ) {
    this.name = spec.name;
    this.window = Math.max(spec.maxQueue, 2 * spec.blockCount);
    this.minInFlight = Math.max(4, 2 * spec.blockCount);
    this.reader = new StreamReader(() => {}, { keep: codec.zeroCopy && !borrowed, pipe: spec.name });
  }

  get connected(): boolean {
    return this.socket !== undefined;
  }

  /** The handshake is done (connectPeer, with this.reader): the stream's frames are ours now. */
  attach(socket: Socket): void {
    this.socket = socket;
    this.writer = new FrameWriter(socket);
    const headSize = this.spec.headSize;
    const codec = this.codec;
    const sink = this.sink;
    const counters = this.counters;
    const reader = this.reader;
    reader.onFrame = (kind, buf, start, end) => {
      if (this.closing) return; // the job has finished: what still arrives is not wanted
      if (kind === FrameKind.DATA) {
        const payloadStart = dataPayloadStart(start, headSize);
        if (payloadStart > end) {
          this.fail(new MarveloError('MRV_WIRE_FRAME', `a DATA frame of ${end - start} bytes is shorter than its SQN and head (${payloadStart - start} bytes)`, { pipe: this.name }));
          return;
        }
        counters.blocks++;
        counters.bytes += end - payloadStart;
        this.outstanding--;
        sink.block(dataSqn(buf, start), dataHead(buf, start, headSize), codec.decode(buf, payloadStart, end));
      } else if (kind === FrameKind.END) {
        this.ended = true;
        this.lastSqn = readU64(buf, start);
      } else if (kind === FrameKind.ERROR) {
        // The producer's job failed: the run reports that and stops; this input is not to blame.
        this.closing = true;
      } else if (kind !== FrameKind.PAD) {
        this.fail(new MarveloError('MRV_WIRE_FRAME', `unexpected frame kind ${kind} from the producer`, { pipe: this.name }));
      }
    };
    reader.onRead = () => {
      if (this.closing) return;
      this.topUp();
      if (this.ended) sink.end(this.lastSqn);
      else sink.arrived();
    };
    reader.onError = (err) => this.fail(err);
    socket.on('error', () => {});
    socket.on('close', () => {
      if (!this.ended && !this.closing) this.fail(`the producer '${this.spec.producer}' closed the connection before the end of its stream`);
    });
    this.outstanding = this.inFlightLimit();
    this.writer.credit(this.outstanding);
    this.writer.flush();
    reader.resume(socket);
  }

  /** The job has taken blocks off its queue: grant credit if the queue has room again. */
  drained(): void {
    this.topUp();
  }

  private held = false;

  /**
   * Called while a frame is delivered: deliver nothing more, and read nothing more from the socket,
   * until release(). What was read stays undecoded in the reader, and no credit is granted for it.
   */
  hold(): void {
    this.held = true;
    this.reader.pause();
  }

  /** Deliver what hold() left unread (this may run the job at once), then read on. */
  release(): void {
    if (!this.held) return;
    this.held = false;
    if (this.socket !== undefined && !this.closing) this.reader.resume(this.socket);
  }

  /**
   * Blocks the producer may have in flight: max(window, 512 KiB of blocks), but at most 4 MiB of them
   * (and never below two rounds). The block size is the codec's when it fixes one, else the average seen.
   */
  private inFlightLimit(): number {
    const { blocks, bytes } = this.counters;
    const payload = this.codec.fixedSize ?? (blocks === 0 ? undefined : bytes / blocks);
    if (payload === undefined) return this.window;
    const perBlock = payload + FRAME_OVERHEAD;
    const limit = Math.max(this.window, Math.min(MAX_IN_FLIGHT_BLOCKS, Math.floor(IN_FLIGHT_BYTES / perBlock)));
    return Math.min(limit, Math.max(this.minInFlight, Math.floor(MAX_IN_FLIGHT_BYTES / perBlock)));
  }

  private topUp(): void {
    if (this.ended || this.closing || !this.writer || this.sink.queued() >= this.window) return;
    const limit = this.inFlightLimit();
    const grant = limit - this.outstanding;
    // half the allowance at once: fewer CREDIT writes, each of which wakes the producer
    if (grant < Math.max(1, limit >>> 1)) return;
    this.outstanding += grant;
    this.writer.credit(grant);
    this.writer.flush();
  }

  private closing = false;
  /** The job has finished: tell the producer to stop (unless it already ended), then close our side. */
  close(): Promise<void> {
    if (this.closing) return Promise.resolve();
    this.closing = true;
    const socket = this.socket;
    if (!socket || socket.destroyed) return Promise.resolve();
    if (!this.ended) this.writer!.frame(FrameKind.CLOSE);
    this.writer!.flush();
    this.writer!.close();
    // Wait until the producer has closed its side as well: if this worker exited first, the producer's
    // next write could fail (EPIPE) and drop our CLOSE unread, and it would report a broken pipe.
    return new Promise((resolve) => {
      const timer = setTimeout(() => socket.destroy(), CLOSE_GRACE_MS);
      socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.end();
    });
  }

  /**
   * This job has failed: tell the producer (ERROR), so that it leaves the report to the run instead of
   * reporting the closed connection as its own failure.
   */
  abort(): void {
    if (this.closing || !this.writer || !this.socket || this.socket.destroyed) return;
    this.closing = true;
    this.writer.frame(FrameKind.ERROR, Buffer.from(`job '${this.spec.consumer}' failed`, 'utf8'));
    this.writer.flush();
    this.writer.close();
  }

  /** A message is a broken connection (MRV_WIRE_CONNECT); a coded error from the stream keeps its code. */
  private fail(reason: unknown): void {
    if (this.closing) return;
    this.closing = true;
    this.onFailure(reason instanceof MarveloError ? reason : new MarveloError('MRV_WIRE_CONNECT', reason instanceof Error ? reason.message : String(reason), { pipe: this.name }));
  }
}
