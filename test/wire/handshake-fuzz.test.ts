import { randomBytes } from 'node:crypto';
import type net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MarveloError } from '../../src/errors.js';
import { FrameDecoder } from '../../src/wire/frame-decoder.js';
import { type AcceptedPeer, WireAuthError, acceptPeer, connectPeer, type AuthRefusal } from '../../src/wire/handshake.js';
import { MAX_HANDSHAKE_FRAME, NONCE_BYTES, encodeFrame, helloFrame, verifyHello } from '../../src/wire/hello.js';
import { StreamReader } from '../../src/wire/stream-reader.js';
import { FRAME_HEADER, FrameKind } from '../../src/wire/types.js';
import { frameBytes } from './frame-helpers.js';
import { chunkSizes, MUTATIONS, mutate, randomBytes as seededBytes, rng, splitAt, type Rng } from './fuzz-helpers.js';
import { Cleanup, FrameReader, once, rawDial } from './socket-helpers.js';

/** Seeds are BASE_SEED + case number; a failure names its seed. */
const BASE_SEED = 0x4a5d_0000;
const CASES = 150;
const secret = randomBytes(32);

let cleanup = new Cleanup();
afterEach(async () => {
  await cleanup.close();
  cleanup = new Cleanup();
});

type Expected = { refused: AuthRefusal } | { accepted: Buffer };

/** What the side reading the first handshake frame must conclude from `bytes` (then the peer closed). */
function firstFrameVerdict(bytes: Buffer, check: (kind: number, body: Buffer) => AuthRefusal | undefined): Expected {
  if (bytes.length < FRAME_HEADER) return { refused: 'closed' };
  const length = bytes.readUInt32BE(0);
  if (length === 0 || length > MAX_HANDSHAKE_FRAME) return { refused: 'garbage' };
  if (4 + length > bytes.length) return { refused: 'closed' };
  const refused = check(bytes[4]!, bytes.subarray(5, 4 + length));
  return refused === undefined ? { accepted: bytes.subarray(4 + length) } : { refused };
}

/** Some frames a consumer sends after HELLO (its first CREDIT, a CLOSE). */
function tail(r: Rng): Buffer {
  const parts: Buffer[] = [];
  for (let k = r.int(0, 2); k > 0; k--) parts.push(r.next() < 0.5 ? frameBytes(FrameKind.CREDIT, seededBytes(r, 4)) : frameBytes(FrameKind.CLOSE));
  return Buffer.concat(parts);
}

/** A valid answer, or one mutated (1-2 mutations), or one signed with another secret. */
function variant(r: Rng, valid: Buffer): { bytes: Buffer; how: string } {
  const roll = r.next();
  if (roll < 0.15) return { bytes: valid, how: 'none' };
  let bytes = valid;
  const names: string[] = [];
  for (let k = r.int(1, 2); k > 0; k--) {
    const how = r.pick(MUTATIONS);
    names.push(how);
    bytes = mutate(r, bytes, [0], how);
  }
  return { bytes, how: names.join('+') };
}

async function writeInChunks(socket: net.Socket, chunks: Uint8Array[]): Promise<void> {
  for (const c of chunks) {
    if (socket.destroyed) return; // refused already
    socket.write(c);
    await new Promise((resolve) => setImmediate(resolve)); // so the other side reads separately
  }
}

async function outcomeOf(p: Promise<unknown>): Promise<{ refused: AuthRefusal } | { accepted: unknown }> {
  try {
    return { accepted: await p };
  } catch (e) {
    expect(e).toBeInstanceOf(WireAuthError);
    expect((e as MarveloError).code).toBe('MRV_WIRE_AUTH');
    return { refused: (e as WireAuthError).reason };
  }
}

/** Everything the socket still delivers until the peer closes. */
async function rest(socket: net.Socket, leftover: Uint8Array): Promise<Buffer> {
  const parts: Buffer[] = [Buffer.from(leftover)];
  socket.on('data', (d: Buffer) => parts.push(d));
  if (!socket.readableEnded) await once(socket, 'end');
  return Buffer.concat(parts);
}

describe('frame fuzzing: the handshake', () => {
  it(`the producer's side: ${CASES} seeded HELLO answers (valid, mutated, noise), in random chunks, are accepted exactly when valid, else refused with MRV_WIRE_AUTH for the right reason`, async () => {
    const results: Promise<AcceptedPeer>[] = [];
    const listener = await cleanup.listen('unix', (socket) => {
      const r = acceptPeer(socket, secret, (pipe) => pipe === 'p1');
      r.catch(() => {});
      results.push(r);
    });
    const seen = new Set<string>();
    for (let i = 0; i < CASES; i++) {
      const seed = BASE_SEED + i;
      const r = rng(seed);
      const client = await rawDial(cleanup, listener.address);
      // the CHALLENGE, as a consumer reads it
      const nonce = await new Promise<Buffer>((resolve) => {
        const decoder = new FrameDecoder((_kind, buf, s, e) => resolve(Buffer.from(buf.subarray(s, e))));
        client.on('data', (chunk: Buffer) => decoder.push(chunk));
      });
      const pipe = r.next() < 0.1 ? 'p2' : 'p1';
      const signer = r.next() < 0.1 ? randomBytes(32) : secret;
      const valid = Buffer.concat([helloFrame(signer, nonce, pipe), tail(r)]);
      const { bytes, how } = variant(r, valid);
      const expected = firstFrameVerdict(bytes, (kind, body) => {
        if (kind !== FrameKind.HELLO) return 'wrong-frame';
        const named = verifyHello(secret, nonce, body);
        if (named === undefined) return 'bad-hmac';
        return named === 'p1' ? undefined : 'unknown-pipe';
      });
      const where = `seed ${seed} (${how}, ${bytes.length} bytes)`;
      await writeInChunks(client, splitAt(bytes, chunkSizes(r, bytes.length)));
      client.end();
      const got = await outcomeOf(results[i]!);
      if ('refused' in expected) {
        expect(got, where).toEqual(expected);
        seen.add(expected.refused);
      } else {
        expect('accepted' in got, `${where}: ${JSON.stringify(got)}`).toBe(true);
        const peer = (got as { accepted: AcceptedPeer }).accepted;
        expect(peer.pipe, where).toBe('p1');
        expect(await rest(peer.socket, peer.leftover), where).toEqual(expected.accepted);
        seen.add('accepted');
      }
    }
    expect([...seen].sort()).toEqual(['accepted', 'bad-hmac', 'closed', 'garbage', 'unknown-pipe', 'wrong-frame']);
  });

  it(`the consumer's side: ${CASES} seeded CHALLENGE frames (valid, mutated, noise) are answered exactly when valid, else refused with MRV_WIRE_AUTH for the right reason`, async () => {
    const sent: Buffer[] = [];
    const answers: FrameReader[] = [];
    const listener = await cleanup.listen('unix', (socket) => {
      answers.push(new FrameReader(socket));
      const i = answers.length - 1;
      void (async () => {
        const r = rng(BASE_SEED + 0x8000 + i);
        await writeInChunks(socket, splitAt(sent[i]!, chunkSizes(r, sent[i]!.length)));
        socket.end();
      })();
    });
    const seen = new Set<string>();
    for (let i = 0; i < CASES; i++) {
      const seed = BASE_SEED + 0x4000 + i;
      const r = rng(seed);
      const nonce = seededBytes(r, NONCE_BYTES);
      const valid = r.next() < 0.1
        ? encodeFrame(FrameKind.ERROR, Buffer.from('data connection refused: bad-hmac'))
        : Buffer.concat([encodeFrame(FrameKind.CHALLENGE, nonce), tail(r)]);
      const { bytes, how } = variant(r, valid);
      sent.push(bytes);
      const expected = firstFrameVerdict(bytes, (kind, body) => {
        if (kind === FrameKind.ERROR) return 'refused';
        return kind === FrameKind.CHALLENGE && body.length === NONCE_BYTES ? undefined : 'wrong-frame';
      });
      const where = `seed ${seed} (${how}, ${bytes.length} bytes)`;
      const reader = new StreamReader(() => {}, { keep: r.next() < 0.5, pipe: 'p1' });
      const got = await outcomeOf(connectPeer(listener.address, secret, 'p1', reader, { timeoutMs: 30_000 }));
      if ('refused' in expected) {
        expect(got, where).toEqual(expected);
        seen.add(expected.refused);
      } else {
        expect('accepted' in got, `${where}: ${JSON.stringify(got)}`).toBe(true);
        // it answered with a HELLO signed for the nonce it was sent
        const [hello] = await answers[i]!.take(1);
        expect(hello?.kind, where).toBe(FrameKind.HELLO);
        expect(verifyHello(secret, bytes.subarray(FRAME_HEADER, FRAME_HEADER + NONCE_BYTES), hello!.body), where).toBe('p1');
        cleanup.socket((got as { accepted: net.Socket }).accepted);
        seen.add('accepted');
      }
    }
    expect([...seen].sort()).toEqual(['accepted', 'closed', 'garbage', 'refused', 'wrong-frame']);
  });
});
