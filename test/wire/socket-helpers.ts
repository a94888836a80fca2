/** Test helpers for real sockets: listeners on a temp Unix path or 127.0.0.1, frame readers, cleanup. */
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FrameDecoder } from '../../src/wire/frame-decoder.js';
import type { StreamReader } from '../../src/wire/stream-reader.js';
import { type Listener, type ListenSpec, listen } from '../../src/wire/transport.js';
import type { Frame } from './frame-helpers.js';

export type Kind = 'unix' | 'tcp';

/** Resources opened by a test, closed after it. */
export class Cleanup {
  private readonly sockets: net.Socket[] = [];
  private readonly listeners: Listener[] = [];
  private readonly dirs: string[] = [];

  socket<S extends net.Socket>(s: S): S {
    this.sockets.push(s);
    return s;
  }

  tempDir(): string {
    const dir = mkdtempSync(join(tmpdir(), 'mrv-wire-'));
    this.dirs.push(dir);
    return dir;
  }

  async listen(kind: Kind, onSocket: (s: net.Socket) => void): Promise<Listener> {
    const spec: ListenSpec = kind === 'unix' ? { kind, path: join(this.tempDir(), 'in.sock') } : { kind, host: '127.0.0.1', port: 0 };
    return this.listenOn(spec, onSocket);
  }

  async listenOn(spec: ListenSpec, onSocket: (s: net.Socket) => void): Promise<Listener> {
    const l = await listen(spec, (s) => onSocket(this.socket(s)));
    this.listeners.push(l);
    return l;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    for (const l of this.listeners) await l.close();
    for (const d of this.dirs) rmSync(d, { recursive: true, force: true });
  }
}

/** Reads frames from a socket in order. */
export class FrameReader {
  private readonly frames: Frame[] = [];
  private waiter: (() => void) | undefined;
  closed = false;

  constructor(socket: net.Socket, leftover?: Uint8Array) {
    const decoder = new FrameDecoder((kind, buf, s, e) => {
      const body = buf.subarray(s, e);
      this.frames.push({ kind, body: Buffer.from(body) });
      this.waiter?.();
    });
    if (leftover) decoder.push(leftover);
    socket.on('data', (chunk: Buffer) => decoder.push(chunk));
    socket.on('error', () => {});
    socket.on('close', () => {
      this.closed = true;
      this.waiter?.();
    });
  }

  /** Resolves with `count` frames in total (from the start), or what arrived before the socket closed. */
  async take(count: number): Promise<Frame[]> {
    while (this.frames.length < count && !this.closed) {
      await new Promise<void>((resolve) => (this.waiter = resolve));
    }
    return this.frames.slice(0, count);
  }
}

/**
 * Takes over a StreamReader that a handshake (connectPeer) left paused, and collects the frames it
 * delivers (copies) in order; then resumes it on `socket`.
 */
export class ReaderFrames {
  private readonly frames: Frame[] = [];
  /** Where each body started in the reader's memory (byteOffset in its ArrayBuffer), for alignment checks. */
  readonly bodyAt: number[] = [];
  private waiter: (() => void) | undefined;
  closed = false;
  /** What the reader reported through onError (reading stopped). */
  error: unknown;

  constructor(reader: StreamReader, socket: net.Socket) {
    const wake = (): void => this.waiter?.();
    reader.onFrame = (kind, buf, s, e) => {
      this.frames.push({ kind, body: Buffer.from(buf.subarray(s, e)) });
      this.bodyAt.push(buf.byteOffset + s);
      wake();
    };
    reader.onError = (err) => {
      this.error = err;
      wake();
    };
    socket.on('error', () => {});
    socket.on('close', () => {
      this.closed = true;
      wake();
    });
    reader.resume(socket);
    if (socket.destroyed) this.closed = true;
  }

  /** Resolves with `count` frames in total (from the start), or what arrived before the socket closed or the reader failed. */
  async take(count: number): Promise<Frame[]> {
    while (this.frames.length < count && !this.closed && this.error === undefined) {
      await new Promise<void>((resolve) => (this.waiter = resolve));
    }
    return this.frames.slice(0, count);
  }

  /** Resolves with the frames through the first one of `kind`, or all that arrived before the socket closed or the reader failed. */
  async until(kind: number): Promise<Frame[]> {
    let i: number;
    while ((i = this.frames.findIndex((f) => f.kind === kind)) < 0 && !this.closed && this.error === undefined) {
      await new Promise<void>((resolve) => (this.waiter = resolve));
    }
    return i < 0 ? this.frames.slice() : this.frames.slice(0, i + 1);
  }
}

/** The first value of an event. */
export function once<T = void>(emitter: NodeJS.EventEmitter, event: string): Promise<T> {
  return new Promise((resolve) => emitter.once(event, resolve as (v: T) => void));
}

/** A client socket connected to a listener, without handshake. */
export async function rawDial(cleanup: Cleanup, address: Listener['address']): Promise<net.Socket> {
  const socket = cleanup.socket(address.kind === 'unix' ? net.connect(address.path) : net.connect(address.port, address.host));
  socket.on('error', () => {});
  await once(socket, 'connect');
  return socket;
}
