/**
 * Seeded byte-stream fuzzing: valid frame streams, mutations of them, and the reference reading of any
 * byte string (what a correct decoder must deliver), so every mutated stream has an exact expectation.
 */
import { seededRandom } from '../helpers/seeded-random.js';
import { frameBytes, type Frame } from './frame-helpers.js';

export interface Rng {
  /** [0, 1) */
  next(): number;
  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number;
  pick<T>(items: readonly T[]): T;
}

export function rng(seed: number): Rng {
  const next = seededRandom(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  return { next, int, pick: (items) => items[int(0, items.length - 1)]! };
}

export function randomBytes(r: Rng, length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) out[i] = r.int(0, 255);
  return out;
}

/** A valid stream of `count` frames of any kind (1..8) with bodies of 0..maxBody bytes; also its frames. */
export function validStream(r: Rng, count: number, maxBody: number): { bytes: Buffer; frames: Frame[] } {
  const frames: Frame[] = [];
  for (let i = 0; i < count; i++) {
    const size = r.next() < 0.05 ? r.int(0, maxBody) : r.int(0, Math.min(64, maxBody));
    frames.push({ kind: r.int(1, 8), body: randomBytes(r, size) });
  }
  return { bytes: Buffer.concat(frames.map((f) => frameBytes(f.kind, f.body))), frames };
}

/** Length fields that probe the decoder's limits and its allocation. */
const HOSTILE_LENGTHS = [0, 1, 2, 0x7fff_ffff, 0x8000_0000, 0xffff_ffff, 256 * 1024 * 1024, 256 * 1024 * 1024 + 1, 200 * 1024 * 1024];

export type Mutation = 'flip' | 'set' | 'insert' | 'delete' | 'truncate' | 'duplicate' | 'length' | 'random';
export const MUTATIONS: readonly Mutation[] = ['flip', 'set', 'insert', 'delete', 'truncate', 'duplicate', 'length', 'random'];

/**
 * One mutation of `bytes` (never in place). `frameStarts` are the offsets of the frame headers, for
 * mutations of a length field.
 */
export function mutate(r: Rng, bytes: Buffer, frameStarts: number[], how: Mutation): Buffer {
  const n = bytes.length;
  const at = r.int(0, Math.max(0, n - 1));
  switch (how) {
    case 'flip': {
      const out = Buffer.from(bytes);
      for (let k = r.int(1, 4); k > 0 && n > 0; k--) out[r.int(0, n - 1)]! ^= 1 << r.int(0, 7);
      return out;
    }
    case 'set': {
      const out = Buffer.from(bytes);
      if (n > 0) out[at] = r.int(0, 255);
      return out;
    }
    case 'insert':
      return Buffer.concat([bytes.subarray(0, at), randomBytes(r, r.int(1, 16)), bytes.subarray(at)]);
    case 'delete':
      return Buffer.concat([bytes.subarray(0, at), bytes.subarray(Math.min(n, at + r.int(1, 16)))]);
    case 'truncate':
      return Buffer.from(bytes.subarray(0, at));
    case 'duplicate': {
      const end = Math.min(n, at + r.int(1, 32));
      return Buffer.concat([bytes.subarray(0, end), bytes.subarray(at, end), bytes.subarray(end)]);
    }
    case 'length': {
      const out = Buffer.from(bytes);
      if (frameStarts.length === 0) return out;
      const start = r.pick(frameStarts);
      const value = r.next() < 0.7 ? r.pick(HOSTILE_LENGTHS) : r.int(0, 0xffff_ffff);
      if (start + 4 <= n) out.writeUInt32BE(value, start);
      return out;
    }
    case 'random':
      return randomBytes(r, r.int(0, 512));
  }
}

/** Offsets of the frame headers of a valid stream. */
export function frameStarts(frames: Frame[]): number[] {
  const starts: number[] = [];
  let at = 0;
  for (const f of frames) {
    starts.push(at);
    at += 5 + f.body.length;
  }
  return starts;
}

export interface Reading {
  frames: Frame[];
  /** How the bytes end: cleanly at a frame boundary, inside a frame, or at a length a decoder must refuse. */
  end: 'clean' | 'partial' | 'refused';
}

/** What a correct decoder delivers from `bytes`, read all at once: the reference for chunked reading. */
export function referenceReading(bytes: Uint8Array, maxFrame: number): Reading {
  const frames: Frame[] = [];
  let at = 0;
  while (at < bytes.length) {
    if (bytes.length - at < 5) return { frames, end: 'partial' };
    const length = ((bytes[at]! << 24) >>> 0) + ((bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!);
    if (length === 0 || length > maxFrame) return { frames, end: 'refused' };
    if (at + 4 + length > bytes.length) return { frames, end: 'partial' };
    frames.push({ kind: bytes[at + 4]!, body: Buffer.from(bytes.subarray(at + 5, at + 4 + length)) });
    at += 4 + length;
  }
  return { frames, end: 'clean' };
}

/**
 * Random chunk boundaries for a stream of `length` bytes: one byte at a time, a few bytes, a few hundred,
 * or up to 70 000; tiny chunks only for short streams (a long one would take a million reads).
 */
export function chunkSizes(r: Rng, length: number): (i: number) => number {
  const floor = Math.max(1, Math.floor(length / 4000));
  const style = r.int(0, 3);
  return () => floor - 1 + (style === 0 ? 1 : style === 1 ? r.int(1, 7) : style === 2 ? r.int(1, 300) : r.int(1, 70_000));
}

export function splitAt(bytes: Uint8Array, size: (i: number) => number): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const n = Math.max(1, size(i));
    chunks.push(bytes.subarray(at, at + n));
    at += n;
  }
  return chunks;
}
