/**
 * The wire work of a ceiling stage, and nothing more: the runtime's own frame writer (batching,
 * flushed at the end of the event-loop turn or at 64 KiB), frame decoder and codecs over Unix
 * sockets. No handshake, no credit-based flow control, no SQN checking, no job host: a producer only
 * waits when the kernel and the socket's write queue are full (the backpressure every program has).
 */
import { once } from 'node:events';
import net from 'node:net';
import { FrameDecoder, dataPayloadStart } from '../../src/wire/frame-decoder.js';
import { FrameWriter } from '../../src/wire/frame-writer.js';
import { FrameKind, type Codec } from '../../src/wire/types.js';

/** Bytes waiting in a socket's write queue before its producer waits for 'drain'. */
const WRITE_HIGH_WATER = 1 << 20;
/** Head bytes on the ceiling's wire: MARVELO's default head size. */
const HEAD_SIZE = 1;

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
    // the same encoding path as the runtime's output ports: straight into the batch when the codec can
    if (this.codec.encodeInto !== undefined && this.writer.dataEncoded(sqn, 0, HEAD_SIZE, this.codec, value) >= 0) return;
    this.writer.data(sqn, 0, HEAD_SIZE, this.codec.encode(value));
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

export async function dialOutput(path: string, codec: Codec): Promise<StageOutput> {
  const socket = net.connect({ path });
  await once(socket, 'connect');
  return new StageOutput(socket, codec);
}

export interface InputHandlers {
  value(value: unknown): void;
  end(): void;
}

/** One input: decodes every DATA frame's payload and hands the value over. */
export class StageInput {
  private socket: net.Socket | undefined;

  constructor(
    private readonly codec: Codec,
    private readonly handlers: InputHandlers,
  ) {}

  attach(socket: net.Socket): void {
    this.socket = socket;
    const { codec, handlers } = this;
    const decoder = new FrameDecoder((kind, buf, start, end) => {
      if (kind === FrameKind.DATA) handlers.value(codec.decode(buf, dataPayloadStart(start, HEAD_SIZE), end));
      else if (kind === FrameKind.END) handlers.end();
    });
    socket.on('data', (chunk) => decoder.push(chunk));
    socket.on('error', () => {});
  }

  pause(): void {
    this.socket?.pause();
  }

  resume(): void {
    this.socket?.resume();
  }
}

/** Listens on `path` for exactly one producer; resolves once listening, `accepted` once it dialled. */
export async function listenOnce(path: string): Promise<{ accepted: Promise<net.Socket> }> {
  let accept!: (s: net.Socket) => void;
  const accepted = new Promise<net.Socket>((resolve) => (accept = resolve));
  const server = net.createServer((socket) => {
    server.close();
    accept(socket);
  });
  server.listen(path);
  await once(server, 'listening');
  return { accepted };
}
