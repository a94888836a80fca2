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
 *
 * A restartable pipe (PipeSpec.restartable) survives its producer: a broken connection waits for the
 * client to name the new producer (reconnect), which then sends only the blocks after the last one
 * held here (RESUME). On a lossless synchronous one the port acknowledges what the job has processed
 * (`ackThrough`), riding on CREDIT frames, plus a credit-less one when the job is idle or the
 * acknowledgement moved on by a step: the producer frees its replay buffer with them.
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
  reader: StreamReader;
  ended = false;
  /** The END frame's SQN: the last block the producer made. */
  private lastSqn = 0;
  readonly restartable: boolean;
  /** The producer keeps what it sends until it is acknowledged here (lossless synchronous restartable pipes). */
  readonly acknowledges: boolean;
  /** SQN of the last block received: a new producer starts after it. */
  heldThrough = 0;
  /** Every block through the returned SQN was processed (set by the worker on pipes that acknowledge). */
  ackThrough: () => number = () => 0;
  private sentAck = 0;
  /** Acknowledge at least every this many blocks while the job has blocks queued. */
  private readonly ackStep: number;

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
    this.restartable = spec.restartable;
    this.acknowledges = spec.restartable && spec.drop === 'block' && spec.optional === undefined;
    this.ackStep = Math.max(1, this.window >>> 2);
    this.reader = this.newReader();
  }

  private newReader(): StreamReader {
    return new StreamReader(() => {}, { keep: this.codec.zeroCopy && !this.borrowed, pipe: this.spec.name });
  }

  get connected(): boolean {
    return this.socket !== undefined;
  }

  /** The handshake is done (connectPeer, with this.reader): the stream's frames are ours now. */
  attach(socket: Socket): void {
    this.socket = socket;
    this.writer = new FrameWriter(socket);
    if (this.restartable) this.writer.resume(this.heldThrough);
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
        const sqn = dataSqn(buf, start);
        this.heldThrough = sqn;
        sink.block(sqn, dataHead(buf, start, headSize), codec.decode(buf, payloadStart, end));
      } else if (kind === FrameKind.END) {
        this.ended = true;
        this.lastSqn = readU64(buf, start);
      } else if (kind === FrameKind.ERROR) {
        // The producer's job failed: it may be started again (restartable), else the run reports that
        // and stops; this input is not to blame either way.
        if (this.restartable) this.detach();
        else this.closing = true;
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
      if (this.socket !== socket || this.ended || this.closing) return;
      if (this.restartable) this.detach();
      else this.fail(`the producer '${this.spec.producer}' closed the connection before the end of its stream`);
    });
    this.outstanding = this.inFlightLimit();
    if (this.acknowledges) this.writer.creditAck(this.outstanding, this.sentAck);
    else this.writer.credit(this.outstanding);
    this.writer.flush();
    reader.resume(socket);
  }

  /**
   * The producer is gone (a restartable pipe): wait for the client to name its replacement. What was
   * read of an unfinished frame is dropped with the old reader; the blocks received stay queued.
   */
  detach(): void {
    const socket = this.socket;
    if (socket === undefined) return;
    this.socket = undefined;
    this.writer?.close();
    this.writer = undefined;
    this.reader.onFrame = () => {};
    this.reader.onRead = undefined;
    this.reader.onError = undefined;
    socket.destroy();
    this.reader = this.newReader();
    this.held = false;
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
    if (this.closing || !this.writer) return;
    if (this.ended || this.sink.queued() >= this.window) {
      if (this.acknowledges) this.acknowledge();
      return;
    }
    const limit = this.inFlightLimit();
    const grant = limit - this.outstanding;
    // half the allowance at once: fewer CREDIT writes, each of which wakes the producer
    if (grant < Math.max(1, limit >>> 1)) {
      if (this.acknowledges) this.acknowledge();
      return;
    }
    this.outstanding += grant;
    if (this.acknowledges) {
      this.sentAck = Math.max(this.sentAck, this.ackThrough());
      this.writer.creditAck(grant, this.sentAck);
    } else {
      this.writer.credit(grant);
    }
    this.writer.flush();
  }

  /** A credit-less acknowledgement, when the job is idle here or it moved on by a step since the last. */
  private acknowledge(): void {
    const ack = this.ackThrough();
    if (ack <= this.sentAck || (ack - this.sentAck < this.ackStep && this.sink.queued() > 0)) return;
    this.sentAck = ack;
    this.writer!.creditAck(0, ack);
    this.writer!.flush();
  }

  private closing = false;
  /** The job has finished: tell the producer to stop (unless it already ended), then close our side. */
  close(): Promise<void> {
    if (this.closing) return Promise.resolve();
    this.closing = true;
    const socket = this.socket;
    if (!socket || socket.destroyed) return Promise.resolve();
    if (!this.ended) this.writer!.frame(FrameKind.CLOSE);
    // The job has processed the whole stream: the producer's end waits for this on a restartable pipe.
    else if (this.restartable) this.writer!.creditAck(0, this.lastSqn);
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
