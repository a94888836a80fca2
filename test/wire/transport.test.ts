import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, lstatSync, writeFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MarveloError } from '../../src/errors.js';
import { dataHead, dataPayloadStart, dataSqn } from '../../src/wire/frame-decoder.js';
import { FrameWriter, ZERO_COPY_BYTES } from '../../src/wire/frame-writer.js';
import { type AcceptedPeer, acceptPeer, connectPeer } from '../../src/wire/handshake.js';
import { StreamReader } from '../../src/wire/stream-reader.js';
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

/** A producer (acceptPeer) and a consumer (connectPeer, reading through `reader`) joined over `kind`. */
async function joined(kind: Kind, reader: StreamReader): Promise<{ producer: AcceptedPeer; consumer: Socket }> {
  const secret = randomBytes(32);
  const accepted: Promise<AcceptedPeer>[] = [];
  const l = await cleanup.listen(kind, (s) => accepted.push(acceptPeer(s, secret, (p) => p === 'pipe')));
  const consumer = cleanup.socket(await connectPeer(l.address, secret, 'pipe', reader));
  while (accepted.length === 0) await new Promise((r) => setImmediate(r));
  return { producer: await accepted[0]!, consumer };
}

/** Both transports, each with the reader in reuse and in keep mode. */
const TRANSPORTS_AND_READER_MODES: { kind: Kind; keep: boolean }[] = [
  { kind: 'unix', keep: false },
  { kind: 'unix', keep: true },
  { kind: 'tcp', keep: false },
  { kind: 'tcp', keep: true },
];

describe.each<{ kind: Kind; keep: boolean }>(TRANSPORTS_AND_READER_MODES)('transport - clobber over $kind (StreamReader keep: $keep)', ({ kind, keep }) => {
  it('20000 patterned 1 KiB blocks arrive intact and in order through writer, socket and reader', async () => {
    const reader = new StreamReader(() => {}, { keep });
    const { producer, consumer } = await joined(kind, reader);

    const count = 20_000;
    // keep mode: payloads aligned to 8 in the stream stay aligned in memory and are never written again
    const align = keep ? 8 : 1;
    let received = 0;
    let corrupt = 0;
    let misaligned = 0;
    let pads = 0;
    const kept: { sqn: number; payload: Uint8Array }[] = [];
    let done: () => void = () => {};
    let failed: (err: unknown) => void = () => {};
    const finished = new Promise<void>((resolve, reject) => {
      done = resolve;
      failed = reject;
    });
    reader.onFrame = (frameKind, buf, s, e) => {
      if (frameKind === FrameKind.END) return done();
      if (frameKind === FrameKind.PAD) {
        pads++;
        return;
      }
      const sqn = dataSqn(buf, s);
      const payloadStart = dataPayloadStart(s, 2);
      const payload = buf.subarray(payloadStart, e);
      if (frameKind !== FrameKind.DATA || sqn !== received + 1 || dataHead(buf, s, 2) !== (sqn & 0xffff) || !Buffer.from(payload).equals(patterned(sqn, 1024))) corrupt++;
      if ((buf.byteOffset + payloadStart) % align !== 0) misaligned++;
      if (keep && sqn % 97 === 0) kept.push({ sqn, payload });
      received++;
    };
    reader.onError = failed;
    consumer.on('error', failed);
    reader.resume(consumer);

    const writer = new FrameWriter(producer.socket, { streamOffset: producer.sent });
    for (let sqn = 1; sqn <= count; sqn++) {
      writer.data(sqn, sqn & 0xffff, 2, patterned(sqn, 1024), align);
      if (sqn % 1000 === 0) await new Promise((r) => setImmediate(r));
    }
    writer.end(count);
    await finished;
    expect(received).toBe(count);
    expect(corrupt).toBe(0);
    expect(misaligned).toBe(0);
    if (keep) {
      expect(pads).toBeGreaterThan(0);
      expect(kept.length).toBe(Math.floor(count / 97));
      expect(kept.filter(({ sqn, payload }) => !Buffer.from(payload).equals(patterned(sqn, 1024))).map((k) => k.sqn)).toEqual([]);
    } else {
      expect(pads).toBe(0);
    }
  });
});

describe.each<{ kind: Kind; keep: boolean }>(TRANSPORTS_AND_READER_MODES)('transport - mixed sizes over $kind (StreamReader keep: $keep)', ({ kind, keep }) => {
  it('blocks of 1 B to 300 KiB (large ones written zero-copy) arrive intact, aligned and, in keep mode, kept', async () => {
    const reader = new StreamReader(() => {}, { keep });
    const { producer, consumer } = await joined(kind, reader);
    const sizes = [1, 7, 1024, 16 * 1024 + 3, 40 * 1024, 100 * 1024, 33, 64 * 1024 - 5, 300 * 1024, 8];
    const rounds = 30;
    const count = rounds * sizes.length;
    const sizeOf = (sqn: number) => sizes[(sqn - 1) % sizes.length]!;

    const kept: { sqn: number; payload: Uint8Array }[] = [];
    const bad: string[] = [];
    let done: () => void = () => {};
    let failed: (err: unknown) => void = () => {};
    const finished = new Promise<void>((resolve, reject) => {
      done = resolve;
      failed = reject;
    });
    let received = 0;
    reader.onFrame = (frameKind, buf, s, e) => {
      if (frameKind === FrameKind.END) return done();
      if (frameKind === FrameKind.PAD) return;
      const sqn = dataSqn(buf, s);
      const payloadStart = dataPayloadStart(s, 1);
      const payload = buf.subarray(payloadStart, e);
      if (frameKind !== FrameKind.DATA || sqn !== received + 1) bad.push(`frame ${received + 1}: kind ${frameKind}, sqn ${sqn}`);
      else if (!Buffer.from(payload).equals(patterned(sqn, sizeOf(sqn)))) bad.push(`sqn ${sqn}: payload`);
      if (keep && (buf.byteOffset + payloadStart) % 8 !== 0) bad.push(`sqn ${sqn}: misaligned`);
      if (keep) kept.push({ sqn, payload });
      received++;
    };
    reader.onError = failed;
    consumer.on('error', failed);
    reader.resume(consumer);

    const writer = new FrameWriter(producer.socket, { streamOffset: producer.sent });
    const pending: Promise<void>[] = [];
    for (let sqn = 1; sqn <= count; sqn++) {
      const payload = patterned(sqn, sizeOf(sqn));
      if (payload.byteLength >= ZERO_COPY_BYTES) {
        pending.push(new Promise<void>((resolve) => writer.dataZeroCopy(sqn, sqn & 0xff, 1, payload, keep ? 8 : 1, resolve)));
      } else {
        writer.data(sqn, sqn & 0xff, 1, payload, keep ? 8 : 1);
      }
      if (sqn % sizes.length === 0) await new Promise((r) => setImmediate(r));
    }
    writer.end(count);
    await finished;
    await Promise.all(pending); // every zero-copy payload was handed back
    expect(bad).toEqual([]);
    expect(received).toBe(count);
    if (keep) {
      expect(kept.length).toBe(count);
      expect(kept.filter(({ sqn, payload }) => !Buffer.from(payload).equals(patterned(sqn, sizeOf(sqn)))).map((k) => k.sqn)).toEqual([]);
    }
  });
});
