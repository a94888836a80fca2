import type { Socket } from 'node:net';
import type { PipeSpec } from '../config/types.js';
import type { PipeCounters } from '../control/messages.js';
import { MarveloError } from '../errors.js';
import { FrameDecoder, readU32, readU64 } from '../wire/frame-decoder.js';
import { FrameWriter, ZERO_COPY_BYTES } from '../wire/frame-writer.js';
import { FrameKind, maxPayload, MAX_FRAME, type Codec } from '../wire/types.js';
import { newCounters } from './counters.js';
import { ReplayBuffer } from './replay-buffer.js';

export interface OutputPortOptions {
  /** Never hand a payload to the socket as it is: its job borrows its input, so a value may view a read buffer. */
  copyPayloads?: boolean;
  /** The job never changes an array after sending it (ScriptJob.FRESH_OUTPUTS): nothing to hold. */
  sentStayUnchanged?: boolean;
  /** The consumer acknowledged more blocks as processed (a pipe with a replay buffer). */
  onAcked?: () => void;
}

/**
 * The producer end of one pipe. Lossless pipes (`drop: block`) send only against credit granted by
 * the consumer; the job host waits for credit before producing. `drop: newest|oldest` never wait:
 * without credit the new block is dropped (newest) or parked in a bounded ring that loses its oldest
 * entry (oldest). Every drop is counted; the consumer sees the gap in the SQNs.
 *
 * The producer listens and its consumer dials (handshake.ts). Large payloads of zero-copy codecs (a
 * 64 KiB Buffer, a long Float32Array) go to the socket without a copy; while the socket still holds
 * one, the port is not `ready`, so the job does not run again (and cannot change the array) until the
 * kernel has taken its bytes, unless the job never changes what it sent (ScriptJob.FRESH_OUTPUTS).
 *
 * A restartable pipe (PipeSpec.restartable) survives its consumer: when the connection breaks, the
 * port waits for a new consumer to dial in (a newer dial for the pipe also replaces a connection that
 * never broke, as over a cut link). The new consumer first says which blocks it holds (RESUME); the
 * port sends only later ones. A lossless synchronous restartable pipe keeps every block sent until the
 * consumer acknowledges it as processed (ReplayBuffer), and sends the kept ones again to a new consumer.
 */
export class OutputPort {
  readonly name: string;
  readonly counters: PipeCounters = newCounters();
  readonly lossless: boolean;
  /** The codec can write simple values straight into the frame batch. */
  private readonly fastEncode: boolean;
  private readonly zeroCopy: boolean;
  private readonly align: number;
  private readonly headSize: number;
  /** Largest payload a frame of this pipe carries: a larger block is refused here, before it is sent. */
  private readonly maxPayload: number;
  /** Zero-copy writes not yet completed, and whether the socket held the last one when it was made. */
  private zeroCopyWrites = 0;
  private holding = false;
  credit = 0;
  /** The consumer has finished and asked us to stop sending. */
  closedByPeer = false;
  lastSqn = 0;

  private socket: Socket | undefined;
  private writer: FrameWriter | undefined;
  private readonly parked: { sqn: number; head: number; payload: Uint8Array }[] = [];
  private ended = false;
  /** END went out on the current connection: its close is end()'s to judge. */
  private endSent = false;
  readonly restartable: boolean;
  /** Blocks kept for a new consumer (lossless synchronous restartable pipes only). */
  readonly replay: ReplayBuffer | undefined;
  /** The consumer processed every block through this SQN (pipes with acknowledgements). */
  ackedThrough = 0;
  /** The consumer already holds every block through this SQN (RESUME): such blocks are not sent. */
  private skipThrough = 0;
  /** The current consumer's RESUME arrived (restartable pipes). */
  private resumed = false;
  private readonly onAcked: (() => void) | undefined;
  private attachWaiter: (() => void) | undefined;

  /** Large payloads may wait in the socket after send(): the port is not ready until they are written. */
  private readonly holdsSent: boolean;

  constructor(
    readonly spec: PipeSpec,
    readonly codec: Codec,
    private readonly onCredit: () => void,
    private readonly onFailure: (err: MarveloError) => void,
    opts: OutputPortOptions = {},
  ) {
    this.name = spec.name;
    this.lossless = spec.drop === 'block';
    this.restartable = spec.restartable;
    this.replay = spec.restartable && this.lossless && spec.optional === undefined ? new ReplayBuffer() : undefined;
    this.onAcked = opts.onAcked;
    // The fast path writes into the frame batch: a kept block needs its payload on its own.
    this.fastEncode = codec.encodeInto !== undefined && this.replay === undefined;
    this.zeroCopy = codec.zeroCopy && opts.copyPayloads !== true;
    this.holdsSent = this.zeroCopy && opts.sentStayUnchanged !== true;
    this.align = codec.payloadAlign;
    this.headSize = spec.headSize;
    this.maxPayload = maxPayload(spec.headSize);
  }

  private resolveGranted!: () => void;
  /** Resolves when the consumer's first credit arrived: only then may the job produce. */
  readonly granted: Promise<void> = new Promise((r) => (this.resolveGranted = r));

  /** The consumer dialled and passed the handshake; `sent` bytes (the CHALLENGE) went out before. */
  attach(socket: Socket, leftover: Uint8Array, sent: number): void {
    if (this.socket !== undefined) this.detach(); // a restartable pipe's new consumer: the old one is gone
    this.socket = socket;
    this.resumed = false;
    this.writer = new FrameWriter(socket, { flushMs: this.spec.flushMs, streamOffset: sent });
    const decoder = new FrameDecoder((kind, buf, start, end) => {
      if (this.socket === socket) this.onFrame(kind, buf, start, end);
    });
    socket.on('data', (chunk) => decoder.push(chunk));
    socket.on('error', () => {});
    socket.on('close', () => {
      if (this.socket !== socket || this.ended || this.closedByPeer) return;
      // end() waits for this close once the stream is over (a restartable one: acknowledged to its end)
      if (this.endSent && (!this.restartable || this.ackedThrough >= this.lastSqn)) return;
      if (this.restartable) {
        this.detach();
        return;
      }
      this.onFailure(
        new MarveloError('MRV_WIRE_CONNECT', `the consumer '${this.spec.consumer}' closed the connection`, {
          pipe: this.name,
        }),
      );
    });
    if (leftover.length > 0) decoder.push(leftover);
    const w = this.attachWaiter;
    this.attachWaiter = undefined;
    w?.();
  }

  get connected(): boolean {
    return this.socket !== undefined;
  }

  /** The last block the consumer says it holds (RESUME): a restarted source resumes after it. */
  get heldByConsumer(): number {
    return this.skipThrough;
  }

  /** The consumer is gone (a restartable pipe): send nothing until a new one dials in. */
  private detach(): void {
    const socket = this.socket;
    this.socket = undefined;
    this.writer?.close();
    this.writer = undefined;
    socket?.destroy();
    this.credit = 0;
    this.endSent = false;
    this.holding = false;
    this.zeroCopyWrites = 0;
    const w = this.creditWaiter;
    this.creditWaiter = undefined;
    w?.();
    this.onCredit();
  }

  private nextAttach(): Promise<void> {
    return new Promise((resolve) => (this.attachWaiter = resolve));
  }

  /** True when a block may be produced now without losing it to backpressure (or changing a held array). */
  get ready(): boolean {
    return this.budget > 0;
  }

  /**
   * Blocks the job may produce now without waiting: the credit of a lossless pipe, unbounded for a drop
   * policy or a closed consumer. At most 1 for zero-copy codecs, whose next send may hold the array.
   */
  get budget(): number {
    if (this.holding) return 0;
    let b = !this.lossless || this.closedByPeer ? Infinity : this.credit;
    const replay = this.replay;
    if (replay !== undefined && !this.closedByPeer) b = replay.toResend > 0 ? 0 : Math.min(b, replay.room);
    return this.holdsSent && b > 1 ? 1 : b;
  }

  send(sqn: number, head: number, value: unknown): void {
    this.lastSqn = sqn;
    if (this.closedByPeer || sqn <= this.skipThrough) return;
    if (this.credit > 0 && this.fastEncode) {
      const n = this.writer!.dataEncoded(sqn, head, this.headSize, this.codec, value);
      if (n >= 0) {
        this.credit--;
        this.counters.blocks++;
        this.counters.bytes += n;
        return;
      }
    }
    const payload = this.encode(value);
    if (this.credit > 0) {
      this.write(sqn, head, payload);
      this.replay?.keep(sqn, head, payload);
      return;
    }
    if (this.lossless && this.restartable) {
      // The consumer was replaced after the job checked the budget (during an async step, or before the
      // job heard of it): the block waits in the replay buffer and goes out first, once the new consumer
      // grants credit. Without a buffer (an optional input) it is lost like any on a broken pipe.
      if (this.replay !== undefined) this.replay.hold(sqn, head, payload);
      else this.counters.dropped++;
      return;
    }
    if (this.lossless) {
      throw new MarveloError('MRV_CONTROL_PROTOCOL', 'internal: a block was produced without credit', {
        pipe: this.name,
      });
    }
    if (this.spec.drop === 'newest') {
      this.counters.dropped++;
      return;
    }
    if (this.parked.length >= this.spec.maxQueue) {
      this.parked.shift();
      this.counters.dropped++;
    }
    // The encoded payload may be a scratch view: park a copy.
    this.parked.push({ sqn, head, payload: Uint8Array.prototype.slice.call(payload) });
  }

  /**
   * The payload of `value`, refused when no frame can carry it. A value that is itself too large
   * (a binary or a string) is refused before it is encoded, so its encoding is never made.
   */
  private encode(value: unknown): Uint8Array {
    if (this.codec.fixedSize === undefined) {
      const least = leastPayloadSize(value);
      if (least > this.maxPayload) throw this.tooLarge(`at least ${least}`);
    }
    const payload = this.codec.encode(value);
    if (payload.byteLength > this.maxPayload) throw this.tooLarge(String(payload.byteLength));
    return payload;
  }

  private tooLarge(size: string): MarveloError {
    const { producer, name } = this.spec;
    return new MarveloError(
      'MRV_WIRE_BLOCK_SIZE',
      `a block of ${size} bytes for pipe '${name}' is over the limit of ${this.maxPayload} bytes per block (a data frame carries at most ${MAX_FRAME / 1024 / 1024} MiB); nothing was sent`,
      { job: producer, pipe: name, hint: 'split the value into several blocks (yield it in slices), or send where the data is (a file path) instead of the data' },
    );
  }

  /**
   * End of stream: sends what is parked (and kept for a new consumer) as credit allows, then END, then
   * closes our side. A restartable pipe's stream has ended only once the consumer acknowledged all of
   * it: if it goes away before, its replacement gets the rest again, and END.
   */
  async end(): Promise<void> {
    if (this.ended) return;
    for (;;) {
      if (this.socket === undefined) {
        if (!this.restartable) return;
        await this.nextAttach();
        continue;
      }
      if (this.restartable && !this.resumed) {
        // A new consumer says first what it holds: only then is it known what it lacks.
        await this.creditOrClose();
        continue;
      }
      if (this.hasBacklog() && !this.closedByPeer) {
        if (this.credit === 0) await this.creditOrClose();
        else this.drainBacklog();
        continue;
      }
      const socket = this.socket;
      if (this.closedByPeer || socket.destroyed) break;
      this.endSent = true;
      this.writer!.end(this.lastSqn);
      this.writer!.flush();
      if (this.restartable) {
        // The consumer acknowledges the whole stream before it closes; if it goes away before that,
        // its replacement gets the rest again, and END.
        while (this.socket === socket && !this.closedByPeer && this.ackedThrough < this.lastSqn) await this.creditOrClose();
        if (this.socket !== socket) continue;
      }
      this.writer!.close();
      // Wait for the consumer to close its side too: it has then read END. Exiting earlier would leave
      // its late credit frames unread here, and its write would fail (EPIPE) and drop what it had not read.
      await new Promise<void>((resolve) => {
        socket.once('close', () => resolve());
        socket.end();
      });
      break;
    }
    this.ended = true;
  }

  private hasBacklog(): boolean {
    return this.parked.length > 0 || (this.replay !== undefined && this.replay.toResend > 0);
  }

  /**
   * This job has failed: tell the consumer (ERROR), so that it leaves the report to the run instead of
   * reporting the closed connection as its own failure.
   */
  abort(): void {
    if (this.ended || this.closedByPeer || !this.writer || !this.socket || this.socket.destroyed) return;
    this.ended = true;
    this.writer.frame(FrameKind.ERROR, Buffer.from(`job '${this.spec.producer}' failed`, 'utf8'));
    this.writer.flush();
    this.writer.close();
  }

  private creditWaiter: (() => void) | undefined;
  private creditOrClose(): Promise<void> {
    return new Promise((resolve) => (this.creditWaiter = resolve));
  }

  private write(sqn: number, head: number, payload: Uint8Array): void {
    this.credit--;
    if (this.zeroCopy && payload.byteLength >= ZERO_COPY_BYTES) {
      this.zeroCopyWrites++;
      if (this.writer!.dataZeroCopy(sqn, head, this.headSize, payload, this.align, this.onZeroCopyWritten) && this.holdsSent) this.holding = true;
    } else {
      this.writer!.data(sqn, head, this.headSize, payload, this.align);
    }
    this.counters.blocks++;
    this.counters.bytes += payload.length;
  }

  /** Writes complete in order: when none is left, the socket holds no array of the job's any more. */
  private readonly onZeroCopyWritten = (): void => {
    if (--this.zeroCopyWrites > 0 || !this.holding) return;
    this.holding = false;
    this.onCredit();
  };

  /** Kept blocks a new consumer does not hold, then parked ones, as credit allows: all before any new block. */
  private drainBacklog(): void {
    const replay = this.replay;
    if (replay !== undefined) {
      while (this.credit > 0 && replay.toResend > 0) {
        this.credit--;
        this.writer!.data(replay.resendSqn, replay.resendHead, this.headSize, replay.resendPayload, this.align);
        this.counters.replayed++;
        replay.advance();
      }
    }
    while (this.credit > 0 && this.parked.length > 0) {
      const b = this.parked.shift()!;
      this.write(b.sqn, b.head, b.payload);
    }
  }

  private onFrame(kind: number, buf: Uint8Array, start: number, end: number): void {
    switch (kind) {
      case FrameKind.CREDIT: {
        const length = end - start;
        if (length !== 4 && !(length === 12 && this.restartable)) {
          this.onFailure(new MarveloError('MRV_WIRE_FRAME', `a CREDIT frame of ${length} bytes from the consumer (it has ${this.restartable ? '4 or 12' : 4})`, { pipe: this.name }));
          return;
        }
        this.credit += readU32(buf, start);
        if (length === 12) this.acknowledged(readU64(buf, start + 4));
        this.resolveGranted();
        this.drainBacklog();
        break;
      }
      case FrameKind.RESUME: {
        if (end - start !== 8 || !this.restartable) {
          this.onFailure(new MarveloError('MRV_WIRE_FRAME', `a RESUME frame of ${end - start} bytes on pipe '${this.name}' (only a restartable pipe has one, of 8 bytes)`, { pipe: this.name }));
          return;
        }
        const held = readU64(buf, start);
        this.resumed = true;
        if (held > this.skipThrough) this.skipThrough = held;
        this.replay?.rewind(held);
        break;
      }
      case FrameKind.CLOSE:
        this.closedByPeer = true;
        this.resolveGranted();
        this.parked.length = 0;
        // Nothing more goes to a consumer that has finished: close our side, so it may exit.
        this.writer?.close();
        this.socket?.end();
        break;
      case FrameKind.ERROR:
        if (this.restartable) {
          // The consumer's job failed and may be started again: wait for it, as for a broken connection.
          this.detach();
          return;
        }
        // The consumer's job failed: the run reports it and stops; nothing more goes out on this pipe.
        this.ended = true;
        this.closedByPeer = true;
        this.parked.length = 0;
        this.writer?.close();
        break;
      default:
        this.onFailure(
          new MarveloError('MRV_WIRE_FRAME', `unexpected frame kind ${kind} from the consumer`, { pipe: this.name }),
        );
        return;
    }
    const w = this.creditWaiter;
    this.creditWaiter = undefined;
    w?.();
    this.onCredit();
  }

  private acknowledged(sqn: number): void {
    if (sqn <= this.ackedThrough) return;
    this.ackedThrough = sqn;
    this.replay?.acknowledge(sqn);
    this.onAcked?.();
  }
}

/** Bytes a variable-size codec needs at least for `value`: its own size when it is binary or a string (UTF-8 takes a byte per UTF-16 unit or more). */
function leastPayloadSize(value: unknown): number {
  if (typeof value === 'string') return value.length;
  if (ArrayBuffer.isView(value)) return value.byteLength;
  return value instanceof ArrayBuffer ? value.byteLength : 0;
}
