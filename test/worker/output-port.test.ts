import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { PipeSpec } from '../../src/config/types.js';
import { createCodec } from '../../src/wire/codecs.js';
import { OutputPort, type OutputPortOptions } from '../../src/worker/output-port.js';
import { testPipeSpec } from '../helpers/specs.js';

/** A socket that takes writes and keeps them queued until told (writableLength > 0 meanwhile). */
class QueueingSocket extends EventEmitter {
  writableLength = 0;
  destroyed = false;
  private readonly pending: (() => void)[] = [];
  /** Copies of the bytes as they were when written. */
  readonly written: Buffer[] = [];
  write(buf: Uint8Array, done?: () => void): boolean {
    this.written.push(Buffer.from(buf));
    this.writableLength += buf.byteLength;
    if (done) this.pending.push(done);
    return true;
  }
  cork(): void {}
  uncork(): void {}
  end(): void {}
  /** The kernel took everything. */
  drainAll(): void {
    this.writableLength = 0;
    for (const done of this.pending.splice(0)) done();
  }
}

const pipe: PipeSpec = testPipeSpec({ name: 'frames', codec: { kind: 'bytes', blockSize: 65_536 } });

function port(opts: OutputPortOptions): { port: OutputPort; socket: QueueingSocket; changes: () => number } {
  let changes = 0;
  const p = new OutputPort(pipe, createCodec(pipe.codec), () => changes++, (err) => {
    throw err;
  }, opts);
  const socket = new QueueingSocket();
  p.attach(socket as unknown as Socket, new Uint8Array(0), 0);
  p.credit = 10;
  return { port: p, socket, changes: () => changes };
}

describe('OutputPort: large payloads the socket still holds', () => {
  it('keep the port not ready, so the job cannot change the array on its way', () => {
    const { port: p, socket, changes } = port({});
    expect(p.budget).toBe(1); // a send may hold the array: one block at a time
    p.send(1, 0, Buffer.alloc(65_536, 1));
    expect(p.ready).toBe(false);
    expect(p.budget).toBe(0);
    socket.drainAll();
    expect(p.ready).toBe(true);
    expect(changes()).toBe(1); // the job host is told it may run again
  });

  it('do not hold a job that never changes what it sent (FRESH_OUTPUTS)', () => {
    const { port: p } = port({ sentStayUnchanged: true });
    expect(p.budget).toBe(10); // the credit, not one block at a time
    p.send(1, 0, Buffer.alloc(65_536, 1));
    p.send(2, 0, Buffer.alloc(65_536, 2));
    expect(p.ready).toBe(true);
    expect(p.budget).toBe(8);
  });

  it('are copied, never handed to the socket, for a job that borrows its input', async () => {
    const { port: p, socket } = port({ copyPayloads: true });
    const view = Buffer.alloc(65_536, 3);
    p.send(1, 0, view);
    expect(p.ready).toBe(true); // the batch holds a copy: nothing to wait for
    expect(socket.writableLength).toBe(0); // still in the batch, not handed over
    view.fill(9); // the borrowed memory is reused at once
    await new Promise((r) => setImmediate(r)); // the batch is flushed at the end of the turn
    const sent = Buffer.concat(socket.written);
    expect(sent.subarray(sent.length - 65_536).every((b) => b === 3)).toBe(true);
  });
});

describe('OutputPort: frames from the consumer', () => {
  it('a CREDIT frame of the wrong size is MRV_WIRE_FRAME, and grants nothing', () => {
    const failures: string[] = [];
    const p = new OutputPort(pipe, createCodec(pipe.codec), () => {}, (err) => failures.push(`${err.code} ${err.message}`));
    const socket = new QueueingSocket();
    p.attach(socket as unknown as Socket, new Uint8Array(0), 0);
    socket.emit('data', Buffer.from([0, 0, 0, 4, 2, 0, 0, 9])); // CREDIT with a 3-byte body
    expect(failures).toEqual(['MRV_WIRE_FRAME a CREDIT frame of 3 bytes from the consumer (it has 4)']);
    expect(p.credit).toBe(0);
  });
});
