/**
 * The wire work of a ceiling stage, and nothing more: the runtime's own frame writer (batching,
 * flushed at the end of the event-loop turn or at 256 KiB; PAD frames for aligned payloads; large
 * payloads written without a copy), stream reader and codecs over Unix sockets, connected the way
 * the runtime connects (a producer listens, its consumer dials and reads through `onread`). No
 * handshake, no credit-based flow control, no SQN checking, no job host: a producer only waits when
 * the kernel and the socket's write queue are full (the backpressure every program has).
 */
import { once } from 'node:events';
import net from 'node:net';
import { dataPayloadStart } from '../../src/wire/frame-decoder.js';
import { FrameWriter, ZERO_COPY_BYTES } from '../../src/wire/frame-writer.js';
import { StreamReader } from '../../src/wire/stream-reader.js';
import { FrameKind, type Codec } from '../../src/wire/types.js';
import { parseStageAddress, socketTarget, tuneSocket } from './stage-address.js';

/** Bytes waiting in a socket's write queue before its producer waits for 'drain'. */
const WRITE_HIGH_WATER = 1 << 20;
/** Head bytes on the ceiling's wire: MARVELO's default head size. */
const HEAD_SIZE = 1;
const noop = (): void => {};

export class StageOutput {
  private readonly writer: FrameWriter;

  constructor(
    private readonly socket: net.Socket,
    private readonly codec: Codec,
  ) {
    this.writer = new FrameWriter(socket);
    socket.on('error', () => {});
  }

  send(sqn: number, value: unknown): void {
    // the same encoding paths as the runtime's output ports
    const codec = this.codec;
    if (codec.encodeInto !== undefined && this.writer.dataEncoded(sqn, 0, HEAD_SIZE, codec, value) >= 0) return;
    const payload = codec.encode(value);
    if (codec.zeroCopy && payload.byteLength >= ZERO_COPY_BYTES) this.writer.dataZeroCopy(sqn, 0, HEAD_SIZE, payload, codec.payloadAlign, noop);
    else this.writer.data(sqn, 0, HEAD_SIZE, payload, codec.payloadAlign);
  }

  /** The socket's write queue is over the high-water mark: stop producing until drained(). */
  get congested(): boolean {
    return this.socket.writableLength > WRITE_HIGH_WATER;
  }

  async drained(): Promise<void> {
    if (this.socket.writableLength > 0) await once(this.socket, 'drain');
  }

  /** END frame, flush, close our side. */
  end(lastSqn: number): Promise<void> {
    this.writer.end(lastSqn);
    this.writer.flush();
    this.writer.close();
    return new Promise((resolve) => this.socket.end(resolve));
  }
}

export interface InputHandlers {
  value(value: unknown): void;
  end(): void;
}

/**
 * One input, dialled to its producer: decodes every DATA frame's payload and hands the value over.
 * `borrow`: the consumer keeps no value past its handler (a sink), so even zero-copy codecs' blocks are
 * read into one reused buffer, as the runtime does for a job that borrows its input (the bench sink).
 */
export class StageInput {
  private readonly socket: net.Socket;

  /** `address`: a Unix socket path or `host:port` (stage-address.ts). */
  constructor(address: string, codec: Codec, handlers: InputHandlers, borrow = false) {
    const reader = new StreamReader((kind, buf, start, end) => {
      if (kind === FrameKind.DATA) handlers.value(codec.decode(buf, dataPayloadStart(start, HEAD_SIZE), end));
      else if (kind === FrameKind.END) handlers.end();
    }, { keep: codec.zeroCopy && !borrow });
    const target = parseStageAddress(address);
    this.socket = net.connect({ ...socketTarget(target), onread: reader.onread });
    tuneSocket(target, this.socket);
    this.socket.on('error', () => {});
  }

  /** Resolves once connected. */
  connected(): Promise<unknown> {
    return once(this.socket, 'connect');
  }

  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }
}

/**
 * Listens on `address` (a Unix socket path or `host:port`) for exactly one consumer; resolves once
 * listening, `accepted` once it dialled.
 */
export async function listenOnce(address: string): Promise<{ accepted: Promise<net.Socket> }> {
  const target = parseStageAddress(address);
  let accept!: (s: net.Socket) => void;
  const accepted = new Promise<net.Socket>((resolve) => (accept = resolve));
  const server = net.createServer((socket) => {
    server.close();
    tuneSocket(target, socket);
    accept(socket);
  });
  server.listen(socketTarget(target));
  await Promise.race([once(server, 'listening'), once(server, 'error').then(([err]) => Promise.reject(err as Error))]);
  return { accepted };
}
