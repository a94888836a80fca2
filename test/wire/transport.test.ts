import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, lstatSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MarveloError } from '../../src/errors.js';
import { FrameDecoder, dataHead, dataPayloadStart, dataSqn } from '../../src/wire/frame-decoder.js';
import { FrameWriter } from '../../src/wire/frame-writer.js';
import { type AcceptedPeer, acceptPeer, connectPeer } from '../../src/wire/handshake.js';
import { dial, dialErrorCode, formatAddress } from '../../src/wire/transport.js';
import { FrameKind } from '../../src/wire/types.js';
import { patterned } from './frame-helpers.js';
import { Cleanup, type Kind, once } from './socket-helpers.js';

let cleanup = new Cleanup();
afterEach(async () => {
  await cleanup.close();
  cleanup = new Cleanup();
});

async function wireError(p: Promise<unknown>): Promise<MarveloError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(MarveloError);
  expect((e as MarveloError).code).toBe('MRV_WIRE_CONNECT');
  return e as MarveloError;
}

describe('transport - listen and dial', () => {
  it('tcp: binds the host on a free port and reports it', async () => {
    const accepted: Promise<void>[] = [];
    const l = await cleanup.listen('tcp', (s) => accepted.push(once(s, 'data').then(() => undefined)));
    expect(l.address.kind).toBe('tcp');
    if (l.address.kind !== 'tcp') return;
    expect(l.address.host).toBe('127.0.0.1');
    expect(l.address.port).toBeGreaterThan(0);
    expect(formatAddress(l.address)).toBe(`tcp:127.0.0.1:${l.address.port}`);
    const s = cleanup.socket(await dial(l.address));
    s.write('x');
    while (accepted.length === 0) await new Promise((r) => setImmediate(r));
    await accepted[0];
  });

  it('unix: replaces a stale socket file left by a killed process', async () => {
    const path = join(cleanup.tempDir(), 'stale.sock');
    const child = spawn(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(path)}, () => process.kill(process.pid, 'SIGKILL'))`]);
    await once(child, 'exit');
    expect(lstatSync(path).isSocket()).toBe(true);
    const l = await cleanup.listenOn({ kind: 'unix', path }, () => {});
    expect(l.address).toEqual({ kind: 'unix', path });
    cleanup.socket(await dial(l.address));
  });

  it('unix: refuses a path a live listener holds, and a path that is not a socket', async () => {
    const l = await cleanup.listen('unix', () => {});
    if (l.address.kind !== 'unix') return;
    expect((await wireError(cleanup.listenOn({ kind: 'unix', path: l.address.path }, () => {}))).message).toMatch(/another process is listening/);
    const file = join(cleanup.tempDir(), 'plain');
    writeFileSync(file, 'not a socket');
    expect((await wireError(cleanup.listenOn({ kind: 'unix', path: file }, () => {}))).message).toMatch(/not a socket/);
  });

  it('tcp: a taken port is MRV_WIRE_CONNECT with a hint', async () => {
    const l = await cleanup.listen('tcp', () => {});
    if (l.address.kind !== 'tcp') return;
    const e = await wireError(cleanup.listenOn({ kind: 'tcp', host: '127.0.0.1', port: l.address.port }, () => {}));
    expect(e.hint).toMatch(/port 0/);
  });

  it('close() stops accepting and removes the socket file; dial then fails with the system error as cause', async () => {
    const l = await cleanup.listen('unix', () => {});
    if (l.address.kind !== 'unix') return;
    await l.close();
    expect(existsSync(l.address.path)).toBe(false);
    const e = await wireError(dial(l.address));
    expect(dialErrorCode(e)).toBe('ENOENT');
    expect(e.message).toMatch(/cannot connect to unix:/);
  });
});

describe.each<Kind>(['unix', 'tcp'])('transport - clobber over %s', (kind) => {
  it('20000 patterned 1 KiB blocks arrive intact and in order through writer, socket and decoder', async () => {
    const secret = randomBytes(32);
    const accepted: Promise<AcceptedPeer>[] = [];
    const l = await cleanup.listen(kind, (s) => accepted.push(acceptPeer(s, secret, (p) => p === 'pipe')));
    const producer = await connectPeer(l.address, secret, 'pipe');
    cleanup.socket(producer.socket);
    while (accepted.length === 0) await new Promise((r) => setImmediate(r));
    const consumer = await accepted[0]!;

    const count = 20_000;
    let received = 0;
    let corrupt = 0;
    let done: () => void = () => {};
    const finished = new Promise<void>((resolve) => (done = resolve));
    const decoder = new FrameDecoder((frameKind, buf, s, e) => {
      const body = buf.subarray(s, e);
      if (frameKind === FrameKind.END) return done();
      const sqn = dataSqn(body, 0);
      const expected = patterned(sqn, 1024);
      if (sqn !== received + 1 || dataHead(body, 0, 2) !== (sqn & 0xffff) || !Buffer.from(body.subarray(dataPayloadStart(0, 2))).equals(expected)) corrupt++;
      received++;
    });
    decoder.push(consumer.leftover);
    consumer.socket.on('data', (chunk: Buffer) => decoder.push(chunk));

    const writer = new FrameWriter(producer.socket);
    for (let sqn = 1; sqn <= count; sqn++) {
      writer.data(sqn, sqn & 0xffff, 2, patterned(sqn, 1024));
      if (sqn % 1000 === 0) await new Promise((r) => setImmediate(r));
    }
    writer.end(count);
    await finished;
    expect(received).toBe(count);
    expect(corrupt).toBe(0);
  });
});
