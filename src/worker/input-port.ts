import type { Socket } from 'node:net';
import type { PipeSpec } from '../config/types.js';
import type { PipeCounters } from '../control/messages.js';
import { MarveloError } from '../errors.js';
import { FrameDecoder, dataHead, dataPayloadStart, dataSqn } from '../wire/frame-decoder.js';
import { FrameWriter } from '../wire/frame-writer.js';
import { FrameKind, type Codec } from '../wire/types.js';
import { newCounters } from './counters.js';

export interface InputSink {
  /** One block, in stream order: queue it (the job runs later, once per received chunk). */
  block(sqn: number, head: number, value: unknown): void;
  /** A received chunk has been queued: let the job run. */
  arrived(): void;
  end(): void;
  /** Blocks of this input waiting in the job's queue. */
  queued(): number;
}

/** Credit in flight is counted in bytes too: small blocks get up to this much, so a hop stays busy across wake-ups. */
const IN_FLIGHT_BYTES = 512 * 1024;
/** ...but never more blocks than this in flight on one pipe. */
const MAX_IN_FLIGHT_BLOCKS = 32 * 1024;
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
 */
export class InputPort {
  readonly name: string;
  readonly counters: PipeCounters = newCounters();
  /** Credit window in blocks (max_queue, never below two rounds). */
  readonly window: number;
  private readonly grantAt: number;
  /** Credit granted and not yet used up by an arrived block: the producer's credit plus blocks in flight. */
  private outstanding = 0;
  private socket: Socket | undefined;
  private writer: FrameWriter | undefined;
  ended = false;

  constructor(
    readonly spec: PipeSpec,
    readonly codec: Codec,
    private readonly sink: InputSink,
    private readonly onFailure: (err: MarveloError) => void,
  ) {
    this.name = spec.name;
    this.window = Math.max(spec.maxQueue, 2 * spec.blockCount);
    this.grantAt = Math.max(1, Math.floor(this.window / 4));
  }

  get connected(): boolean {
    return this.socket !== undefined;
  }

  attach(socket: Socket, leftover?: Uint8Array): void {
    this.socket = socket;
    this.writer = new FrameWriter(socket);
    const headSize = this.spec.headSize;
    const codec = this.codec;
    const sink = this.sink;
    const counters = this.counters;
    const decoder = new FrameDecoder((kind, buf, start, end) => {
      if (this.closing) return; // the job has finished: what still arrives is not wanted
      if (kind === FrameKind.DATA) {
        const payloadStart = dataPayloadStart(start, headSize);
        counters.blocks++;
        counters.bytes += end - payloadStart;
        this.outstanding--;
        sink.block(dataSqn(buf, start), dataHead(buf, start, headSize), codec.decode(buf, payloadStart, end));
      } else if (kind === FrameKind.END) {
        this.ended = true;
      } else {
        this.fail(`unexpected frame kind ${kind} from the producer`);
      }
    });
    const received = (chunk: Uint8Array) => {
      try {
        decoder.push(chunk);
      } catch (err) {
        this.fail(err instanceof Error ? err.message : String(err));
        return;
      }
      this.topUp();
      if (this.ended) sink.end();
      else sink.arrived();
    };
    socket.on('data', received);
    socket.on('error', () => {});
    socket.on('close', () => {
      if (!this.ended && !this.closing) this.fail(`the producer '${this.spec.producer}' closed the connection before the end of its stream`);
    });
    this.outstanding = this.window;
    this.writer.credit(this.window);
    this.writer.flush();
    if (leftover && leftover.length > 0) received(leftover);
  }

  /** The job has taken blocks off its queue: grant credit if the queue has room again. */
  drained(): void {
    this.topUp();
  }

  /** Blocks the producer may have in flight: max(window, the byte budget at the block size seen). */
  private inFlightLimit(): number {
    const { blocks, bytes } = this.counters;
    if (blocks === 0) return this.window;
    const perBlock = bytes / blocks + FRAME_OVERHEAD;
    return Math.max(this.window, Math.min(MAX_IN_FLIGHT_BLOCKS, Math.floor(IN_FLIGHT_BYTES / perBlock)));
  }

  private topUp(): void {
    if (this.ended || this.closing || !this.writer || this.sink.queued() >= this.window) return;
    const limit = this.inFlightLimit();
    const grant = limit - this.outstanding;
    if (grant < Math.max(this.grantAt, limit >>> 2)) return;
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

  private fail(message: string): void {
    if (this.closing) return;
    this.closing = true;
    this.onFailure(new MarveloError('MRV_WIRE_CONNECT', message, { pipe: this.name }));
  }
}
