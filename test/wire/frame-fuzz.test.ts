import { describe, expect, it } from 'vitest';
import { MarveloError } from '../../src/errors.js';
import { FrameDecoder } from '../../src/wire/frame-decoder.js';
import { StreamReader } from '../../src/wire/stream-reader.js';
import { MAX_FRAME } from '../../src/wire/types.js';
import { frameBytes, NodeReads, type Frame } from './frame-helpers.js';
import { chunkSizes, frameStarts, mutate, MUTATIONS, referenceReading, rng, splitAt, validStream, type Reading, type Rng } from './fuzz-helpers.js';

/** Seeds are BASE_SEED + case number: a failure names its seed, and `rng(seed)` replays it alone. */
const BASE_SEED = 0x5eed_0000;
const CASES = 400;

/** The stream of case `seed`: a valid stream, mutated or not, or pure noise. */
function caseStream(r: Rng): { bytes: Buffer; original: Frame[]; mutation: string } {
  const { bytes, frames } = validStream(r, r.int(0, 40), r.next() < 0.03 ? 70_000 : 600);
  if (r.next() < 0.1) return { bytes, original: frames, mutation: 'none' };
  let out = bytes;
  const names: string[] = [];
  for (let k = r.int(1, 3); k > 0; k--) {
    const how = r.pick(MUTATIONS);
    names.push(how);
    out = mutate(r, out, frameStarts(frames), how);
  }
  return { bytes: out, original: frames, mutation: names.join('+') };
}

interface Outcome {
  frames: Frame[];
  error: unknown;
}

function throughDecoder(chunks: Uint8Array[]): Outcome {
  const frames: Frame[] = [];
  const decoder = new FrameDecoder((kind, buf, s, e) => frames.push({ kind, body: Buffer.from(buf.subarray(s, e)) }));
  let error: unknown;
  for (const chunk of chunks) {
    try {
      decoder.push(chunk);
    } catch (e) {
      error = e;
      break;
    }
  }
  if (error !== undefined) {
    // out of step for good: every later push throws the same error
    expect(() => decoder.push(new Uint8Array([0, 0, 0, 1, 1]))).toThrow(error as Error);
  }
  return { frames, error };
}

function throughReader(bytes: Uint8Array, keep: boolean, size: (i: number) => number): Outcome {
  const frames: Frame[] = [];
  const reader = new StreamReader((kind, buf, s, e) => frames.push({ kind, body: Buffer.from(buf.subarray(s, e)) }), { keep });
  let error: unknown;
  reader.onError = (e) => (error = e);
  const results = new NodeReads(reader, bytes).run(size);
  // the reader asks the socket to stop reading exactly when it failed
  expect(results.includes(false)).toBe(error !== undefined);
  return { frames, error };
}

function expectAsReference(got: Outcome, want: Reading, where: string): void {
  if (got.error !== undefined) {
    expect(got.error, where).toBeInstanceOf(MarveloError);
    expect((got.error as MarveloError).code, where).toBe('MRV_WIRE_FRAME');
  }
  expect(got.error !== undefined, `${where}: refused`).toBe(want.end === 'refused');
  expect(got.frames.length, `${where}: frames delivered`).toBe(want.frames.length);
  expect(got.frames, where).toEqual(want.frames);
}

describe('frame fuzzing: decoders', () => {
  it(`${CASES} seeded mutated and random streams, fed at random chunk boundaries, are read exactly as the reference reads them, or refused with MRV_WIRE_FRAME`, () => {
    const tally: Record<Reading['end'], number> = { clean: 0, partial: 0, refused: 0 };
    for (let i = 0; i < CASES; i++) {
      const seed = BASE_SEED + i;
      const r = rng(seed);
      const { bytes, original, mutation } = caseStream(r);
      const want = referenceReading(bytes, MAX_FRAME);
      tally[want.end]++;
      const where = `seed ${seed} (${mutation}, ${bytes.length} bytes)`;
      const size = chunkSizes(r, bytes.length);
      try {
        expectAsReference(throughDecoder(splitAt(bytes, size)), want, `FrameDecoder, ${where}`);
        expectAsReference(throughReader(bytes, true, size), want, `StreamReader keep, ${where}`);
        expectAsReference(throughReader(bytes, false, size), want, `StreamReader reuse, ${where}`);
      } catch (e) {
        if (e instanceof Error && !e.message.includes('seed')) e.message = `${where}: ${e.message}`;
        throw e;
      }
      // a harmless mutation (or none) reads as the original stream
      if (mutation === 'none') expect(want.frames, where).toEqual(original);
    }
    // the cases reach every outcome
    for (const end of ['clean', 'partial', 'refused'] as const) expect(tally[end], end).toBeGreaterThan(CASES / 10);
  }, 180_000); // a few seconds alone; generous for a loaded machine

  it('a length field claiming up to the frame limit costs memory only as the bytes arrive', () => {
    // 100 connections whose header claims 200 MiB, with a few bytes of body: allocating up front would take 40 GB.
    const claimed = 200 * 1024 * 1024;
    const header = frameBytes(1, Buffer.alloc(0));
    header.writeUInt32BE(claimed, 0);
    const start = process.memoryUsage().arrayBuffers;
    const kept: unknown[] = [];
    for (let i = 0; i < 100; i++) {
      const decoder = new FrameDecoder(() => {});
      decoder.push(Buffer.concat([header, Buffer.alloc(1000)]));
      const reader = new StreamReader(() => {}, { keep: i % 2 === 0 });
      new NodeReads(reader, Buffer.concat([header, Buffer.alloc(1000)])).run(() => 1 << 20);
      kept.push(decoder, reader);
    }
    // a few MiB per connection at most (a reused read buffer grows to 4 MiB for large frames), whatever the claim
    const grownPerConnection = (process.memoryUsage().arrayBuffers - start) / 100;
    expect(grownPerConnection).toBeLessThan(8 * 1024 * 1024);
    expect(kept).toHaveLength(200);
  });
});
