import { randomBytes } from 'node:crypto';
import type net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MarveloError } from '../../src/errors.js';
import { FrameWriter } from '../../src/wire/frame-writer.js';
import { type AcceptedPeer, WireAuthError, acceptPeer, connectPeer } from '../../src/wire/handshake.js';
import { NONCE_BYTES, encodeFrame, helloFrame, verifyHello } from '../../src/wire/hello.js';
import { dataPayloadStart, dataSqn } from '../../src/wire/frame-decoder.js';
import { StreamReader } from '../../src/wire/stream-reader.js';
import { FRAME_HEADER, FrameKind, MAX_FRAME } from '../../src/wire/types.js';
import { type Frame, dataBody, frameBytes } from './frame-helpers.js';
import { Cleanup, FrameReader, type Kind, ReaderFrames, rawDial } from './socket-helpers.js';

const secret = randomBytes(32);
let cleanup = new Cleanup();
afterEach(async () => {
  await cleanup.close();
  cleanup = new Cleanup();
});

/** A producer listener whose accepted sockets go through acceptPeer; results arrive in order. */
async function producer(kind: Kind, expects: (pipe: string) => boolean = (p) => p === 'p1', timeoutMs?: number) {
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

/** A listener that plays the producer by hand; `raw` reads what the consumer sends on each socket. */
async function fakeProducer(kind: Kind, onSocket: (s: net.Socket, raw: FrameReader) => void) {
  const raws: FrameReader[] = [];
  const listener = await cleanup.listen(kind, (s) => {
    const raw = new FrameReader(s);
    raws.push(raw);
    onSocket(s, raw);
  });
  return { address: listener.address, raws };
}

function reuseReader(): StreamReader {
  return new StreamReader(() => {}, { keep: false });
}

async function refusal(p: Promise<unknown>): Promise<WireAuthError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(WireAuthError);
  expect((e as MarveloError).code).toBe('MRV_WIRE_AUTH');
  return e as WireAuthError;
}

/** Resolves at close; the ERROR frame sent before closing is best effort: checks it if it came. */
async function refusedAndClosed(raw: FrameReader | ReaderFrames, reason: string): Promise<void> {
  const frames = await raw.take(1_000);
  expect(raw.closed).toBe(true);
  const after = frames.filter((f) => f.kind !== FrameKind.CHALLENGE);
  expect(after.length).toBeLessThanOrEqual(1);
  for (const f of after) expect(f).toEqual({ kind: FrameKind.ERROR, body: Buffer.from(`data connection refused: ${reason}`) });
}

const sqns = (frames: Frame[]) => frames.filter((f) => f.kind === FrameKind.DATA).map((f) => dataSqn(f.body, 0));
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const dataFrame = (sqn: number) => frameBytes(FrameKind.DATA, dataBody(sqn, 0, 1, Buffer.alloc(100, sqn)));
function endFrame(lastSqn: number): Buffer {
  const body = Buffer.alloc(8);
  body.writeBigUInt64BE(BigInt(lastSqn));
  return frameBytes(FrameKind.END, body);
}

describe.each<Kind>(['unix', 'tcp'])('handshake over %s', (kind) => {
  it('a good consumer passes, and frames flow both ways afterwards, payloads aligned as the producer placed them', async () => {
    const p = await producer(kind);
    const reader = new StreamReader(() => {}, { keep: true });
    const [socket, acc] = await Promise.all([connectPeer(p.address, secret, 'p1', reader), p.accepted()]);
    cleanup.socket(socket);
    expect(acc.pipe).toBe('p1');
    expect(acc.leftover.length).toBe(0);
    expect(acc.sent).toBe(FRAME_HEADER + NONCE_BYTES);

    // consumer -> producer
    const atProducer = new FrameReader(acc.socket, acc.leftover);
    new FrameWriter(socket).credit(8);
    expect((await atProducer.take(1))[0]).toEqual({ kind: FrameKind.CREDIT, body: Buffer.from([0, 0, 0, 8]) });

    // producer -> consumer, payloads aligned to 8 in the stream counted from the CHALLENGE (`sent`)
    const atConsumer = new ReaderFrames(reader, socket);
    const toConsumer = new FrameWriter(acc.socket, { streamOffset: acc.sent });
    for (let i = 1; i <= 8; i++) toConsumer.data(i, 0, 1, Buffer.alloc(3 * i, i), 8);
    toConsumer.end(8);
    const frames = await atConsumer.until(FrameKind.END);
    expect(frames.at(-1)!.kind).toBe(FrameKind.END);
    expect(sqns(frames)).toEqual(range(1, 8));
    expect(frames.some((f) => f.kind === FrameKind.PAD)).toBe(true);
    expect(frames.every((f) => f.kind === FrameKind.DATA || f.kind === FrameKind.PAD || f.kind === FrameKind.END)).toBe(true);
    frames.forEach((f, i) => {
      if (f.kind !== FrameKind.DATA) return;
      const sqn = dataSqn(f.body, 0);
      expect(f.body.subarray(dataPayloadStart(0, 1))).toEqual(Buffer.alloc(3 * sqn, sqn));
      expect((atConsumer.bodyAt[i]! + dataPayloadStart(0, 1)) % 8).toBe(0);
    });
  });

  it('a consumer with the wrong secret is refused (bad-hmac) and disconnected', async () => {
    const p = await producer(kind);
    const reader = reuseReader();
    const socket = cleanup.socket(await connectPeer(p.address, randomBytes(32), 'p1', reader));
    const atConsumer = new ReaderFrames(reader, socket);
    const e = await refusal(p.accepted());
    expect(e.reason).toBe('bad-hmac');
    expect(e.message).toMatch(/not signed with this run's secret/);
    await refusedAndClosed(atConsumer, 'bad-hmac');
  });

  it('a pipe that is not an unconnected output of the producer is refused (unknown-pipe)', async () => {
    const p = await producer(kind);
    const reader = reuseReader();
    const socket = cleanup.socket(await connectPeer(p.address, secret, 'other', reader));
    const atConsumer = new ReaderFrames(reader, socket);
    const e = await refusal(p.accepted());
    expect(e.reason).toBe('unknown-pipe');
    expect(e.pipe).toBe('other');
    expect(e.message).toMatch(/pipe 'other' is not an unconnected output of this worker/);
    await refusedAndClosed(atConsumer, 'unknown-pipe');
  });

  it('garbage bytes are refused', async () => {
    const p = await producer(kind);
    const socket = await rawDial(cleanup, p.address);
    socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    const e = await refusal(p.accepted());
    expect(e.reason).toBe('garbage');
    expect(e.message).toMatch(/not a HELLO frame: received a frame length of/);
  });

  it('a first frame that is not HELLO is refused', async () => {
    const p = await producer(kind);
    const socket = await rawDial(cleanup, p.address);
    socket.write(frameBytes(FrameKind.CREDIT, Buffer.from([0, 0, 0, 1])));
    const e = await refusal(p.accepted());
    expect(e.reason).toBe('wrong-frame');
    expect(e.message).toMatch(/kind 2, expected HELLO/);
  });

  it('silence past the timeout is refused, and the socket destroyed', async () => {
    const p = await producer(kind, undefined, 50);
    const raw = new FrameReader(await rawDial(cleanup, p.address));
    const e = await refusal(p.accepted());
    expect(e.reason).toBe('timeout');
    expect(e.message).toMatch(/no HELLO within 50 ms/);
    const [challenge] = await raw.take(1);
    expect(challenge!.kind).toBe(FrameKind.CHALLENGE);
    await refusedAndClosed(raw, 'timeout');
  });

  it('a consumer closing before HELLO is refused (closed)', async () => {
    const p = await producer(kind);
    const socket = await rawDial(cleanup, p.address);
    socket.end();
    expect((await refusal(p.accepted())).reason).toBe('closed');
  });

  it('frames sent in the same write as HELLO are not lost (acceptPeer leftover)', async () => {
    const p = await producer(kind);
    const socket = await rawDial(cleanup, p.address);
    const raw = new FrameReader(socket);
    const [challenge] = await raw.take(1);
    expect(challenge!.kind).toBe(FrameKind.CHALLENGE);
    expect(challenge!.body.length).toBe(NONCE_BYTES);
    const credits = range(1, 50).map((n) => frameBytes(FrameKind.CREDIT, Buffer.from([0, 0, 0, n])));
    socket.write(Buffer.concat([helloFrame(secret, challenge!.body, 'p1'), ...credits]));
    const acc = await p.accepted();
    expect(acc.pipe).toBe('p1');
    expect(acc.leftover.length).toBeGreaterThan(0);
    // attach late: what was not in `leftover` waited in the socket
    await new Promise((r) => setImmediate(r));
    const frames = await new FrameReader(acc.socket, acc.leftover).take(50);
    expect(frames.map((f) => f.kind)).toEqual(new Array(50).fill(FrameKind.CREDIT));
    expect(frames.map((f) => f.body.readUInt32BE(0))).toEqual(range(1, 50));
  });

  it('frames the producer sends right after CHALLENGE are not lost (delivered by the reader after resume)', async () => {
    const nonce = randomBytes(NONCE_BYTES);
    const hellos: Promise<Frame | undefined>[] = [];
    const fake = await fakeProducer(kind, (s, raw) => {
      s.write(Buffer.concat([encodeFrame(FrameKind.CHALLENGE, nonce), ...range(1, 50).map(dataFrame)]));
      // more once HELLO is in: the consumer's socket reads them only after resume
      hellos.push(raw.take(1).then(([hello]) => {
        s.write(Buffer.concat([...range(51, 100).map(dataFrame), endFrame(100)]));
        return hello;
      }));
    });
    const reader = new StreamReader(() => {}, { keep: true });
    const socket = cleanup.socket(await connectPeer(fake.address, secret, 'p1', reader));
    expect(reader.buffered).toBeGreaterThan(0); // what came with CHALLENGE waits in the paused reader
    const hello = await hellos[0]!;
    expect(hello!.kind).toBe(FrameKind.HELLO);
    expect(verifyHello(secret, nonce, hello!.body)).toBe('p1');
    // take over late: the reader stays paused meanwhile and loses nothing
    await new Promise((r) => setImmediate(r));
    const atConsumer = new ReaderFrames(reader, socket);
    const frames = await atConsumer.take(101);
    expect(atConsumer.error).toBeUndefined();
    expect(sqns(frames)).toEqual(range(1, 100));
    expect(frames.slice(0, 100).every((f, i) => f.body.subarray(9).equals(Buffer.alloc(100, i + 1)))).toBe(true);
    expect(frames[100]!.kind).toBe(FrameKind.END);
  });

  it('connectPeer reports an ERROR or a wrong frame instead of a CHALLENGE', async () => {
    const l1 = await fakeProducer(kind, (s) => {
      s.end(encodeFrame(FrameKind.ERROR, Buffer.from('go away')));
    });
    const e = await refusal(connectPeer(l1.address, secret, 'p1', reuseReader()));
    expect(e.reason).toBe('refused');
    expect(e.message).toMatch(/the producer at (unix|tcp):.* says: go away/);
    expect(e.pipe).toBe('p1');

    const l2 = await fakeProducer(kind, (s) => {
      s.write(encodeFrame(FrameKind.CREDIT, Buffer.from([0, 0, 0, 1])));
    });
    const e2 = await refusal(connectPeer(l2.address, secret, 'p1', reuseReader()));
    expect(e2.reason).toBe('wrong-frame');
    expect(e2.message).toMatch(/expected a CHALLENGE of 32 bytes from (unix|tcp):.*, got a frame of kind 2 with 4 bytes/);
    await refusedAndClosed(l2.raws[0]!, 'wrong-frame');

    const l3 = await fakeProducer(kind, (s) => {
      s.write(encodeFrame(FrameKind.CHALLENGE, randomBytes(16)));
    });
    const e3 = await refusal(connectPeer(l3.address, secret, 'p1', reuseReader()));
    expect(e3.reason).toBe('wrong-frame');
    expect(e3.message).toMatch(/got a frame of kind 5 with 16 bytes/);
    await refusedAndClosed(l3.raws[0]!, 'wrong-frame');
  });

  it('connectPeer refuses garbage instead of a CHALLENGE (garbage)', async () => {
    const l1 = await fakeProducer(kind, (s) => {
      s.write('HTTP/1.1 200 OK\r\n\r\n');
    });
    const e = await refusal(connectPeer(l1.address, secret, 'p1', reuseReader()));
    expect(e.reason).toBe('garbage');
    expect(e.pipe).toBe('p1');
    expect(e.message).toMatch(/the bytes received are not a CHALLENGE frame: received a frame length of \d+ bytes, over the limit/);
    expect((e.cause as MarveloError).code).toBe('MRV_WIRE_FRAME');
    await refusedAndClosed(l1.raws[0]!, 'garbage');

    const l2 = await fakeProducer(kind, (s) => {
      s.write(Buffer.from([0, 0, 0, 0, FrameKind.CHALLENGE]));
    });
    const e2 = await refusal(connectPeer(l2.address, secret, 'p1', reuseReader()));
    expect(e2.reason).toBe('garbage');
    expect(e2.message).toMatch(/not a CHALLENGE frame: received a frame length of 0/);
  });

  it('connectPeer refuses a frame length far over a handshake frame before reading (or allocating) it', async () => {
    const l = await fakeProducer(kind, (s) => {
      s.write(Buffer.from([0x0f, 0xff, 0xff, 0xff, FrameKind.CHALLENGE]));
    });
    const reader = reuseReader();
    const e = await refusal(connectPeer(l.address, secret, 'p1', reader));
    expect(e.reason).toBe('garbage');
    expect(e.message).toMatch(/frame length of 268435455 bytes, over the limit of \d{4} /);
    expect(reader.maxFrame).toBe(MAX_FRAME); // the limit is the handshake's only during the handshake
  });

  it('connectPeer: a producer closing before CHALLENGE is refused (closed)', async () => {
    const l = await fakeProducer(kind, (s) => {
      s.end();
    });
    const e = await refusal(connectPeer(l.address, secret, 'p1', reuseReader()));
    expect(e.reason).toBe('closed');
    expect(e.pipe).toBe('p1');
  });

  it('connectPeer: silence past the timeout is refused (timeout), and the socket destroyed', async () => {
    const l = await fakeProducer(kind, () => {});
    const e = await refusal(connectPeer(l.address, secret, 'p1', reuseReader(), { timeoutMs: 100 }));
    expect(e.reason).toBe('timeout');
    expect(e.pipe).toBe('p1');
    expect(e.message).toMatch(/no CHALLENGE within \d+ ms/);
    await refusedAndClosed(l.raws[0]!, 'timeout');
  });
});

describe('handshake - dialling', () => {
  it('connectPeer retries until the listener is up', async () => {
    const path = `${cleanup.tempDir()}/late.sock`;
    const accepted: Promise<AcceptedPeer>[] = [];
    const retries: string[] = [];
    let listening: Promise<unknown> | undefined;
    const socket = await connectPeer({ kind: 'unix', path }, secret, 'p1', reuseReader(), {
      timeoutMs: 10_000,
      retryMs: 10,
      onRetry: (err) => {
        retries.push(err.code);
        // the listener comes up only after a failed attempt
        listening ??= cleanup.listenOn({ kind: 'unix', path }, (s) => accepted.push(acceptPeer(s, secret, () => true)));
      },
    });
    cleanup.socket(socket);
    expect(retries.length).toBeGreaterThanOrEqual(1);
    expect(retries[0]).toBe('MRV_WIRE_CONNECT');
    expect((await accepted[0]!).pipe).toBe('p1');
  });

  it('connectPeer gives MRV_WIRE_CONNECT when nobody listens before the timeout', async () => {
    const path = `${cleanup.tempDir()}/none.sock`;
    const retries: string[] = [];
    const e = await connectPeer({ kind: 'unix', path }, secret, 'p9', reuseReader(), {
      timeoutMs: 60,
      retryMs: 10,
      onRetry: (err) => retries.push(err.code),
    }).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(MarveloError);
    expect(e).not.toBeInstanceOf(WireAuthError);
    expect((e as MarveloError).code).toBe('MRV_WIRE_CONNECT');
    expect((e as MarveloError).pipe).toBe('p9');
    expect((e as MarveloError).message).toMatch(/no listener at unix:.*none\.sock within 60 ms/);
    expect(retries.length).toBeGreaterThanOrEqual(1);
  });
});
