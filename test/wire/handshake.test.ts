import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { MarveloError } from '../../src/errors.js';
import { FrameWriter } from '../../src/wire/frame-writer.js';
import { type AcceptedPeer, WireAuthError, acceptPeer, connectPeer } from '../../src/wire/handshake.js';
import { encodeFrame, helloFrame } from '../../src/wire/hello.js';
import { dataSqn } from '../../src/wire/frame-decoder.js';
import { FrameKind } from '../../src/wire/types.js';
import { dataBody, frameBytes } from './frame-helpers.js';
import { Cleanup, FrameReader, type Kind, rawDial } from './socket-helpers.js';

const secret = randomBytes(32);
let cleanup = new Cleanup();
afterEach(async () => {
  await cleanup.close();
  cleanup = new Cleanup();
});

/** A consumer listener whose accepted sockets go through acceptPeer; results arrive in order. */
async function consumer(kind: Kind, expects: (pipe: string) => boolean = (p) => p === 'p1', timeoutMs?: number) {
  const results: Promise<AcceptedPeer>[] = [];
  let notify: (() => void) | undefined;
  const listener = await cleanup.listen(kind, (socket) => {
    const r = acceptPeer(socket, secret, expects, timeoutMs);
    r.catch(() => {});
    results.push(r);
    notify?.();
  });
  const accepted = async (): Promise<AcceptedPeer> => {
    while (results.length === 0) await new Promise<void>((resolve) => (notify = resolve));
    return results.shift()!;
  };
  return { address: listener.address, accepted };
}

async function refusal(p: Promise<unknown>): Promise<WireAuthError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(WireAuthError);
  expect((e as MarveloError).code).toBe('MRV_WIRE_AUTH');
  return e as WireAuthError;
}

describe.each<Kind>(['unix', 'tcp'])('handshake over %s', (kind) => {
  it('a good peer passes, and frames flow both ways afterwards', async () => {
    const c = await consumer(kind);
    const [peer, acc] = await Promise.all([connectPeer(c.address, secret, 'p1'), c.accepted()]);
    cleanup.socket(peer.socket);
    expect(acc.pipe).toBe('p1');
    expect(acc.leftover.length).toBe(0);

    const atConsumer = new FrameReader(acc.socket, acc.leftover);
    const atProducer = new FrameReader(peer.socket, peer.leftover);
    const toProducer = new FrameWriter(acc.socket);
    toProducer.credit(8);
    const toConsumer = new FrameWriter(peer.socket);
    for (let i = 1; i <= 8; i++) toConsumer.data(i, 0, 1, Buffer.from([i]));
    toConsumer.end(8);
    expect((await atProducer.take(1))[0]).toEqual({ kind: FrameKind.CREDIT, body: Buffer.from([0, 0, 0, 8]) });
    const frames = await atConsumer.take(9);
    expect(frames.slice(0, 8).map((f) => dataSqn(f.body, 0))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(frames[8]!.kind).toBe(FrameKind.END);
  });

  it('a producer with the wrong secret is refused (bad-hmac) and disconnected', async () => {
    const c = await consumer(kind);
    const peer = await connectPeer(c.address, randomBytes(32), 'p1');
    cleanup.socket(peer.socket);
    const reader = new FrameReader(peer.socket, peer.leftover);
    const e = await refusal(c.accepted());
    expect(e.reason).toBe('bad-hmac');
    expect(e.message).toMatch(/not signed with this run's secret/);
    const frames = await reader.take(2); // resolves at close; the ERROR frame is best effort: check it if it came
    expect(frames.length).toBeLessThanOrEqual(1);
    for (const f of frames) expect(f).toEqual({ kind: FrameKind.ERROR, body: Buffer.from('data connection refused: bad-hmac') });
    expect(reader.closed).toBe(true);
  });

  it('a pipe the consumer does not expect is refused (unknown-pipe)', async () => {
    const c = await consumer(kind);
    const peer = await connectPeer(c.address, secret, 'other');
    cleanup.socket(peer.socket);
    const e = await refusal(c.accepted());
    expect(e.reason).toBe('unknown-pipe');
    expect(e.pipe).toBe('other');
  });

  it('garbage bytes are refused', async () => {
    const c = await consumer(kind);
    const socket = await rawDial(cleanup, c.address);
    socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    const e = await refusal(c.accepted());
    expect(e.reason).toBe('garbage');
    expect(e.message).toMatch(/not a HELLO frame: received a frame length of/);
  });

  it('a first frame that is not HELLO is refused', async () => {
    const c = await consumer(kind);
    const socket = await rawDial(cleanup, c.address);
    socket.write(frameBytes(FrameKind.DATA, dataBody(1, 0, 1, Buffer.from('x'))));
    const e = await refusal(c.accepted());
    expect(e.reason).toBe('wrong-frame');
    expect(e.message).toMatch(/kind 1, expected HELLO/);
  });

  it('silence past the timeout is refused, and the socket destroyed', async () => {
    const c = await consumer(kind, undefined, 50);
    const reader = new FrameReader(await rawDial(cleanup, c.address));
    const e = await refusal(c.accepted());
    expect(e.reason).toBe('timeout');
    expect(e.message).toMatch(/no HELLO within 50 ms/);
    const frames = await reader.take(3); // resolves at close
    expect(reader.closed).toBe(true);
    expect(frames[0]!.kind).toBe(FrameKind.CHALLENGE);
  });

  it('a peer closing before HELLO is refused (closed)', async () => {
    const c = await consumer(kind);
    const socket = await rawDial(cleanup, c.address);
    socket.end();
    expect((await refusal(c.accepted())).reason).toBe('closed');
  });

  it('frames sent in the same write as HELLO are not lost', async () => {
    const c = await consumer(kind);
    const socket = await rawDial(cleanup, c.address);
    const raw = new FrameReader(socket);
    const [challenge] = await raw.take(1);
    expect(challenge!.kind).toBe(FrameKind.CHALLENGE);
    expect(challenge!.body.length).toBe(32);
    const data = Array.from({ length: 50 }, (_, i) => frameBytes(FrameKind.DATA, dataBody(i + 1, 0, 1, Buffer.alloc(100, i))));
    socket.write(Buffer.concat([helloFrame(secret, challenge!.body, 'p1'), ...data]));
    const acc = await c.accepted();
    expect(acc.leftover.length).toBeGreaterThan(0);
    // attach late: what was not in `leftover` waited in the socket
    await new Promise((r) => setImmediate(r));
    const frames = await new FrameReader(acc.socket, acc.leftover).take(50);
    expect(frames.map((f) => dataSqn(f.body, 0))).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });

  it('frames sent in the same write as CHALLENGE are not lost (connectPeer leftover)', async () => {
    const listener = await cleanup.listen(kind, (s) => {
      s.write(Buffer.concat([encodeFrame(FrameKind.CHALLENGE, randomBytes(32)), frameBytes(FrameKind.CREDIT, Buffer.from([0, 0, 1, 0]))]));
    });
    const peer = await connectPeer(listener.address, secret, 'p1');
    cleanup.socket(peer.socket);
    const frames = await new FrameReader(peer.socket, peer.leftover).take(1);
    expect(frames).toEqual([{ kind: FrameKind.CREDIT, body: Buffer.from([0, 0, 1, 0]) }]);
  });

  it('connectPeer reports an ERROR or a wrong frame instead of a CHALLENGE', async () => {
    const listener = await cleanup.listen(kind, (s) => {
      s.end(encodeFrame(FrameKind.ERROR, Buffer.from('go away')));
    });
    const e = await refusal(connectPeer(listener.address, secret, 'p1'));
    expect(e.reason).toBe('refused');
    expect(e.message).toMatch(/says: go away/);
    expect(e.pipe).toBe('p1');

    const l2 = await cleanup.listen(kind, (s) => {
      s.write(encodeFrame(FrameKind.CREDIT, Buffer.from([0, 0, 0, 1])));
    });
    expect((await refusal(connectPeer(l2.address, secret, 'p1'))).reason).toBe('wrong-frame');
  });
});

describe('handshake - dialling', () => {
  it('connectPeer retries until the listener is up', async () => {
    const path = `${cleanup.tempDir()}/late.sock`;
    const accepted: Promise<AcceptedPeer>[] = [];
    const retries: string[] = [];
    let listening: Promise<unknown> | undefined;
    const peer = await connectPeer({ kind: 'unix', path }, secret, 'p1', {
      timeoutMs: 10_000,
      retryMs: 10,
      onRetry: (err) => {
        retries.push(err.code);
        // the listener comes up only after a failed attempt
        listening ??= cleanup.listenOn({ kind: 'unix', path }, (s) => accepted.push(acceptPeer(s, secret, () => true)));
      },
    });
    cleanup.socket(peer.socket);
    expect(retries.length).toBeGreaterThanOrEqual(1);
    expect(retries[0]).toBe('MRV_WIRE_CONNECT');
    expect((await accepted[0]!).pipe).toBe('p1');
  });

  it('connectPeer gives MRV_WIRE_CONNECT when nobody listens before the timeout', async () => {
    const path = `${cleanup.tempDir()}/none.sock`;
    const e = await connectPeer({ kind: 'unix', path }, secret, 'p9', { timeoutMs: 60, retryMs: 10 }).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(MarveloError);
    expect((e as MarveloError).code).toBe('MRV_WIRE_CONNECT');
    expect((e as MarveloError).pipe).toBe('p9');
    expect((e as MarveloError).message).toMatch(/no listener at unix:.*none\.sock within 60 ms/);
  });
});
