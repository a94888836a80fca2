import { describe, expect, it, vi } from 'vitest';
import type { MarveloError } from '../../src/errors.js';
import { dataPayloadStart, dataSqn } from '../../src/wire/frame-decoder.js';
import { FrameWriter } from '../../src/wire/frame-writer.js';
import { StreamReader } from '../../src/wire/stream-reader.js';
import { FrameKind } from '../../src/wire/types.js';
import { dataBody, frameBytes, NodeReads, patterned } from './frame-helpers.js';

interface Delivered {
  kind: number;
  /** A view of the reader's memory, as a zero-copy value would be. */
  view: Buffer;
  /** Its bytes at delivery. */
  copy: Buffer;
}

/** Feed `stream` to the reader the way Node does with `onread`. */
function feed(reader: StreamReader, stream: Uint8Array, readSize: (i: number, pos: number) => number): boolean[] {
  return new NodeReads(reader, stream).run(readSize);
}

function collect(keep: boolean): { reader: StreamReader; frames: Delivered[] } {
  const frames: Delivered[] = [];
  const reader = new StreamReader((kind, buf, start, end) => {
    const view = Buffer.from(buf.buffer, buf.byteOffset + start, end - start);
    frames.push({ kind, view, copy: Buffer.from(view) });
  }, { keep });
  return { reader, frames };
}

/** A stream of DATA frames with payload sizes cycling through `sizes`, then END. */
function streamOf(count: number, sizes: number[]): Buffer {
  const parts: Buffer[] = [];
  for (let sqn = 1; sqn <= count; sqn++) parts.push(frameBytes(FrameKind.DATA, dataBody(sqn, sqn & 0xff, 1, patterned(sqn, sizes[sqn % sizes.length]!))));
  parts.push(frameBytes(FrameKind.END, Buffer.alloc(8)));
  return Buffer.concat(parts);
}

function expectIntact(frames: Delivered[], count: number, sizes: number[]): void {
  expect(frames.length).toBe(count + 1);
  for (let sqn = 1; sqn <= count; sqn++) {
    const f = frames[sqn - 1]!;
    expect(f.kind).toBe(FrameKind.DATA);
    expect(dataSqn(f.copy, 0)).toBe(sqn);
    expect(f.copy.subarray(dataPayloadStart(0, 1)).equals(patterned(sqn, sizes[sqn % sizes.length]!))).toBe(true);
  }
  expect(frames[count]!.kind).toBe(FrameKind.END);
}

describe.each([true, false])('stream reader (keep %s)', (keep) => {
  const sizes = [0, 1, 7, 100, 4096, 20_000, 70_000, 300];

  it('delivers every frame intact, in order, whatever the read sizes', () => {
    const stream = streamOf(60, sizes);
    for (const size of [1, 3, 5, 13, 4096, 65_536, 1 << 20]) {
      const { reader, frames } = collect(keep);
      // single bytes and a few more: every split point inside headers and bodies
      const sizeAt = size === 1 ? (i: number) => (i % 50 === 0 ? 5000 : 1) : () => size;
      expect(feed(reader, stream, sizeAt).every(Boolean)).toBe(true);
      expectIntact(frames, 60, sizes);
      expect(reader.buffered).toBe(0);
    }
  });

  it('delivers frames larger than its buffers (1 MiB)', () => {
    const big = [1 << 20, 10];
    const stream = streamOf(5, big);
    const { reader, frames } = collect(keep);
    feed(reader, stream, (i) => (i % 2 === 0 ? 65_536 : 777));
    expectIntact(frames, 5, big);
  });

  it('reports a bad frame length as MRV_WIRE_FRAME and stops reading', () => {
    const { reader, frames } = collect(keep);
    let error: unknown;
    reader.onError = (e) => (error = e);
    const bad = Buffer.concat([frameBytes(FrameKind.DATA, dataBody(1, 0, 1, Buffer.from('ok'))), Buffer.from([0, 0, 0, 0, 1, 2, 3])]);
    expect(feed(reader, bad, () => 1000)).toEqual([false]);
    expect(frames.length).toBe(1);
    expect((error as MarveloError).code).toBe('MRV_WIRE_FRAME');
    expect((error as MarveloError).message).toMatch(/frame length of 0/);
  });

  it('pause() inside a frame stops delivery and reading; resume() delivers the rest and reads on', () => {
    const stream = streamOf(10, [5]);
    const frames: number[] = [];
    const reader = new StreamReader((kind, buf, start) => {
      frames.push(kind === FrameKind.DATA ? dataSqn(buf, start) : -1);
      if (frames.length === 3) reader.pause();
    }, { keep });
    expect(feed(reader, stream, () => 1 << 20)).toEqual([false]);
    expect(frames).toEqual([1, 2, 3]);
    let resumed = 0;
    reader.resume({ resume: () => resumed++ });
    expect(frames).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, -1]);
    expect(resumed).toBe(1);
  });

  it('pausing with frames pending and resuming between reads loses and repeats nothing', () => {
    // a job that cannot run holds its input: the reader pauses mid-read, resumes later (outside any read)
    for (const readSize of [100, 777, 4096, 65_536, 300_000]) {
      const stream = streamOf(400, sizes);
      const { reader, frames } = collect(keep);
      let socketResumed = 0;
      const deliver = reader.onFrame;
      reader.onFrame = (kind, buf, start, end) => {
        deliver(kind, buf, start, end);
        if (frames.length % 7 === 0) reader.pause();
      };
      const reads = new NodeReads(reader, stream);
      for (let rounds = 0; reads.pos < stream.length || reader.buffered > 0; rounds++) {
        if (rounds > 100_000) throw new Error('no progress');
        const results = reads.run(() => readSize);
        if (results.at(-1) === false || reader.buffered > 0) reader.resume({ resume: () => socketResumed++ });
      }
      expectIntact(frames, 400, sizes);
      expect(socketResumed).toBeGreaterThan(0);
    }
  });
});

describe('stream reader - keep mode', () => {
  it('never writes again over the bytes of a delivered frame (values may view them)', () => {
    const sizes = [3, 64, 1000, 4096, 40_000, 65_536];
    const stream = streamOf(200, sizes);
    const frameEnds: number[] = [];
    for (let at = 0; at < stream.length; at += 4 + stream.readUInt32BE(at)) frameEnds.push(at + 4 + stream.readUInt32BE(at));
    const splits: ((i: number, pos: number) => number)[] = [
      (i) => [1, 100, 65_536, 5000, 131_072][i % 5]!,
      // reads that end exactly where frames end (the reader is then empty)
      (_, pos) => frameEnds.find((end) => end > pos)! - pos,
    ];
    for (const split of splits) {
      const { reader, frames } = collect(true);
      feed(reader, stream, split);
      expectIntact(frames, 200, sizes);
      for (const f of frames) expect(f.view.equals(f.copy)).toBe(true);
    }
  });

  it('gives a large frame an arena of (nearly) its own size', () => {
    const stream = streamOf(8, [65_536]);
    const { reader, frames } = collect(true);
    feed(reader, stream, () => 65_536);
    // the first frames share the first arena; later ones are read straight into their own
    const own = frames.slice(2, 8).map((f) => f.view.buffer.byteLength);
    for (const size of own) expect(size).toBeLessThan(65_536 + 200);
  });

  it('keeps payloads the producer aligned (PAD frames) aligned in memory, whatever the read sizes, in both modes', () => {
    // a stream as a producer writes it after its 37-byte CHALLENGE, with float64 and int16 payloads
    const sent: Buffer[] = [];
    const writer = new FrameWriter({ write: (b) => (sent.push(Buffer.from(b)), true) }, { streamOffset: 37 });
    const lengths = [8, 24, 4096, 40_000, 80, 65_536, 16];
    for (let sqn = 1; sqn <= 100; sqn++) writer.data(sqn, 0, sqn % 4 + 1, patterned(sqn, lengths[sqn % lengths.length]!), sqn % 3 === 0 ? 2 : 8);
    writer.flush();
    const stream = Buffer.concat([frameBytes(FrameKind.CHALLENGE, Buffer.alloc(32)), ...sent]);
    for (const keep of [true, false]) {
      expect(frames37Aligned(stream, (i) => [1, 9, 4097, 65_536][i % 4]!, keep)).toBe(100);
      expect(frames37Aligned(stream, () => 7, keep)).toBe(100);
    }
  });

  function frames37Aligned(stream: Buffer, readSize: (i: number) => number, keep: boolean): number {
    let checked = 0;
    let sqnNext = 1;
    const reader = new StreamReader((kind, buf, start, end) => {
      if (kind !== FrameKind.DATA) return;
      const sqn = dataSqn(buf, start);
      expect(sqn).toBe(sqnNext++);
      const payloadStart = dataPayloadStart(start, (sqn % 4) + 1);
      const align = sqn % 3 === 0 ? 2 : 8;
      expect((buf.byteOffset + payloadStart) % align).toBe(0);
      expect(Buffer.from(buf.subarray(payloadStart, end)).equals(patterned(sqn, end - payloadStart))).toBe(true);
      checked++;
    }, { keep });
    feed(reader, stream, readSize);
    return checked;
  }
});

describe('stream reader - reuse mode', () => {
  it('reads small frames into one buffer, with no allocation per read', () => {
    const stream = streamOf(5000, [10, 100]);
    const { reader, frames } = collect(false);
    const buffers = new Set<ArrayBufferLike>();
    const { buffer, callback } = reader.onread;
    let pos = 0;
    while (pos < stream.length) {
      const target = typeof buffer === 'function' ? buffer() : buffer;
      buffers.add(target.buffer);
      const n = Math.min(target.byteLength, 3000, stream.length - pos);
      target.set(stream.subarray(pos, pos + n));
      pos += n;
      callback(n, target);
    }
    expectIntact(frames, 5000, [10, 100]);
    expect(buffers.size).toBe(1);
  });

  it('copies few bytes twice for large frames: the buffer grows to hold many', () => {
    // 64 KiB frames in reads of ~200 KiB (a Unix socket's buffer): in a 256 KiB buffer, the frame cut
    // at its end moved to the start after almost every other read, ~30% of the stream copied again
    const stream = streamOf(200, [65_536]);
    const { reader, frames } = collect(false);
    const copy = vi.spyOn(Buffer.prototype, 'copy');
    let copied = 0;
    try {
      feed(reader, stream, (i) => 200_000 + (i % 7) * 1000);
      for (const call of copy.mock.calls) copied += Number(call[3] ?? 0) - Number(call[2] ?? 0);
    } finally {
      copy.mockRestore();
    }
    expectIntact(frames, 200, [65_536]);
    expect(copied / stream.length).toBeLessThan(0.08);
  });
});
