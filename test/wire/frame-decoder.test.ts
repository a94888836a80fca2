import { describe, expect, it } from 'vitest';
import { MarveloError } from '../../src/errors.js';
import { FrameDecoder, dataHead, dataPayloadStart, dataSqn } from '../../src/wire/frame-decoder.js';
import { FrameKind, MAX_FRAME } from '../../src/wire/types.js';
import { type Frame, collector, dataBody, frameBytes, patterned } from './frame-helpers.js';

const FRAMES: Frame[] = [
  { kind: FrameKind.DATA, body: dataBody(1, 0x40, 1, Buffer.from('hello')) },
  { kind: FrameKind.CLOSE, body: Buffer.alloc(0) },
  { kind: FrameKind.CREDIT, body: Buffer.from([0, 0, 4, 0]) },
  { kind: FrameKind.DATA, body: dataBody(2 ** 40 + 3, 0xdeadbeef, 4, patterned(3, 300)) },
  { kind: FrameKind.ERROR, body: Buffer.from('reason ✓') },
  { kind: FrameKind.DATA, body: dataBody(3, 0, 2, Buffer.alloc(0)) },
  { kind: FrameKind.END, body: Buffer.from([0, 0, 0, 0, 0, 0, 0, 9]) },
];
const STREAM = Buffer.concat(FRAMES.map((f) => frameBytes(f.kind, f.body)));

function decodeErrorOf(fn: () => void): MarveloError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(MarveloError);
    expect((e as MarveloError).code).toBe('MRV_WIRE_FRAME');
    return e as MarveloError;
  }
  throw new Error('expected MRV_WIRE_FRAME');
}

describe('frame decoder - chunk boundaries', () => {
  it('decodes a whole stream in one chunk, zero-copy', () => {
    const bodies: Uint8Array[] = [];
    const decoder = new FrameDecoder((_kind, buf, s, e) => bodies.push(buf.subarray(s, e)));
    decoder.push(STREAM);
    expect(bodies.length).toBe(FRAMES.length);
    for (const b of bodies) if (b.length > 0) expect(b.buffer).toBe(STREAM.buffer);
    expect(bodies.map((b) => Buffer.from(b))).toEqual(FRAMES.map((f) => f.body));
  });

  it('decodes every frame fed one byte at a time', () => {
    const { decoder, frames } = collector();
    for (let i = 0; i < STREAM.length; i++) {
      decoder.push(STREAM.subarray(i, i + 1));
      // a frame is delivered exactly when its last byte arrives
      let end = 0;
      const done = FRAMES.filter((f) => (end += 5 + f.body.length) <= i + 1).length;
      expect(frames.length).toBe(done);
    }
    expect(frames).toEqual(FRAMES);
    expect(decoder.idle).toBe(true);
  });

  it('decodes at every split point, and at every pair of split points', () => {
    for (let a = 0; a <= STREAM.length; a++) {
      const { decoder, frames } = collector();
      decoder.push(STREAM.subarray(0, a));
      decoder.push(STREAM.subarray(a));
      expect(frames).toEqual(FRAMES);
    }
    const small = STREAM.subarray(0, 5 + FRAMES[0]!.body.length + 5 + 5 + FRAMES[2]!.body.length);
    for (let a = 0; a <= small.length; a++) {
      for (let b = a; b <= small.length; b++) {
        const { decoder, frames } = collector();
        decoder.push(small.subarray(0, a));
        decoder.push(small.subarray(a, b));
        decoder.push(small.subarray(b));
        expect(frames).toEqual(FRAMES.slice(0, 3));
      }
    }
  });

  it('accepts empty chunks anywhere', () => {
    const { decoder, frames } = collector();
    decoder.push(new Uint8Array(0));
    decoder.push(STREAM.subarray(0, 3));
    decoder.push(new Uint8Array(0));
    decoder.push(STREAM.subarray(3));
    expect(frames).toEqual(FRAMES);
  });

  it('decodes a large frame spread over many chunks', () => {
    const body = patterned(7, 1_000_003);
    const stream = Buffer.concat([frameBytes(FrameKind.DATA, body), frameBytes(FrameKind.CLOSE)]);
    const { decoder, frames } = collector();
    for (let i = 0; i < stream.length; i += 65536) decoder.push(stream.subarray(i, i + 65536));
    expect(frames.length).toBe(2);
    expect(frames[0]!.body.equals(body)).toBe(true);
    expect(frames[1]).toEqual({ kind: FrameKind.CLOSE, body: Buffer.alloc(0) });
  });
});

describe('frame decoder - clobber', () => {
  it('bodies copied by the consumer survive chunks reused and overwritten after push', () => {
    const count = 2000;
    const payloads = Array.from({ length: count }, (_, i) => patterned(i, 1 + ((i * 37) % 1500)));
    const stream = Buffer.concat(payloads.map((p, i) => frameBytes(FrameKind.DATA, dataBody(i + 1, i & 0xff, 1, p))));
    const received: { sqn: number; head: number; payload: Buffer }[] = [];
    const decoder = new FrameDecoder((_kind, buf, s, e) => {
      received.push({ sqn: dataSqn(buf, s), head: dataHead(buf, s, 1), payload: Buffer.from(buf.subarray(dataPayloadStart(s, 1), e)) });
    });
    // one receive buffer reused for every chunk, garbage-filled after each push; chunk sizes vary
    const recv = Buffer.alloc(4096);
    let pos = 0;
    let n = 0;
    while (pos < stream.length) {
      const size = Math.min(stream.length - pos, 1 + ((n++ * 997) % 4096));
      stream.copy(recv, 0, pos, pos + size);
      decoder.push(recv.subarray(0, size));
      recv.fill(0xa5);
      pos += size;
    }
    expect(received.length).toBe(count);
    received.forEach((r, i) => {
      expect(r.sqn).toBe(i + 1);
      expect(r.head).toBe(i & 0xff);
      expect(r.payload.equals(payloads[i]!)).toBe(true);
    });
  });

  it('the scratch buffer is reused: a body is valid only during the callback', () => {
    const stream = Buffer.concat([frameBytes(1, Buffer.from('aaaa')), frameBytes(1, Buffer.from('bbbb'))]);
    const views: Uint8Array[] = [];
    const decoder = new FrameDecoder((_k, buf, s, e) => views.push(buf.subarray(s, e)));
    for (const byte of stream) decoder.push(Uint8Array.of(byte));
    expect(views[0]!.buffer).toBe(views[1]!.buffer);
    expect(Buffer.isBuffer(views[0])).toBe(true);
  });
});

describe('frame decoder - data frame fields', () => {
  it('reads SQN (up to 2^53), head of 1..4 bytes unsigned, and payload', () => {
    for (const headSize of [1, 2, 3, 4]) {
      const maxHead = 2 ** (8 * headSize) - 1;
      for (const sqn of [0, 1, 255, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1]) {
        for (const head of [0, 1, 0x80, maxHead]) {
          const body = dataBody(sqn, head, headSize, Buffer.from([9, 8]));
          expect(dataSqn(body, 0)).toBe(sqn);
          expect(dataHead(body, 0, headSize)).toBe(head);
          expect([...body.subarray(dataPayloadStart(0, headSize))]).toEqual([9, 8]);
        }
      }
    }
  });
});

describe('frame decoder - errors', () => {
  it('rejects a zero length, saying what was received', () => {
    const { decoder } = collector();
    const e = decodeErrorOf(() => decoder.push(Buffer.from([0, 0, 0, 0, 1])));
    expect(e.message).toBe('received a frame length of 0 (a frame has at least its kind byte) (header bytes 0000000001)');
    expect(e.hint).toBeTruthy();
  });

  it('rejects a length over the limit, also when the header is split', () => {
    const { decoder } = collector(1024);
    decoder.push(Buffer.from([0, 0]));
    const e = decodeErrorOf(() => decoder.push(Buffer.from([4, 1, 1])));
    expect(e.message).toBe('received a frame length of 1025 bytes, over the limit of 1024 (header bytes 0000040101)');
    // the stream is out of step: every later push fails the same way
    expect(decodeErrorOf(() => decoder.push(frameBytes(1)))).toBe(e);
  });

  it('rejects garbage (an HTTP request) with the default limit', () => {
    const { decoder, frames } = collector();
    const e = decodeErrorOf(() => decoder.push(Buffer.from('GET / HTTP/1.1\r\n\r\n')));
    expect(e.message).toMatch(`over the limit of ${MAX_FRAME}`);
    expect(frames).toEqual([]);
  });

  it('names the pipe when given', () => {
    const decoder = new FrameDecoder(() => {}, 16, 'p7');
    expect(decodeErrorOf(() => decoder.push(Buffer.from([0, 0, 0, 17, 1]))).pipe).toBe('p7');
  });
});

describe('frame decoder - pause, resume, hand-over', () => {
  it('pausing inside onFrame keeps the rest of the chunk and later chunks', () => {
    const frames: Frame[] = [];
    const decoder = new FrameDecoder((kind, buf, s, e) => {
      const body = buf.subarray(s, e);
      frames.push({ kind, body: Buffer.from(body) });
      if (frames.length === 2) decoder.pause();
    });
    const chunk = Buffer.from(STREAM.subarray(0, 40));
    decoder.push(chunk);
    chunk.fill(0); // kept bytes are copies
    decoder.push(STREAM.subarray(40));
    expect(frames).toEqual(FRAMES.slice(0, 2));
    decoder.resume();
    expect(frames).toEqual(FRAMES);
  });

  it('takePending hands every undelivered byte (a partial frame included) to another decoder', () => {
    for (let cut = 0; cut <= STREAM.length; cut++) {
      const first: Frame[] = [];
      const decoder = new FrameDecoder((kind, buf, s, e) => {
        const body = buf.subarray(s, e);
        first.push({ kind, body: Buffer.from(body) });
        decoder.pause();
      });
      decoder.push(STREAM.subarray(0, cut));
      const rest = decoder.takePending();
      expect(decoder.idle).toBe(true);
      const { decoder: next, frames } = collector();
      next.push(rest);
      next.push(STREAM.subarray(cut));
      expect([...first, ...frames]).toEqual(FRAMES);
    }
  });

  it('onFrame may be replaced between frames', () => {
    const seen: string[] = [];
    const decoder = new FrameDecoder(() => {
      seen.push('first');
      decoder.onFrame = () => seen.push('second');
    });
    decoder.push(STREAM);
    expect(seen).toEqual(['first', ...new Array(FRAMES.length - 1).fill('second')]);
  });
});
