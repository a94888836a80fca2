import { setImmediate as nextTurn } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { dataHead, dataPayloadStart, dataSqn } from '../../src/wire/frame-decoder.js';
import { FrameWriter } from '../../src/wire/frame-writer.js';
import { FrameKind } from '../../src/wire/types.js';
import { collector, dataBody, frameBytes, patterned } from './frame-helpers.js';

/** A sink that records every write as handed over (not copied), like a socket holding the chunk. */
function recordingSink() {
  const writes: Uint8Array[] = [];
  const snapshots: Buffer[] = [];
  return {
    writes,
    snapshots,
    write(buf: Uint8Array): boolean {
      writes.push(buf);
      snapshots.push(Buffer.from(buf));
      return true;
    },
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('frame writer - batching', () => {
  it('writes DATA frames in the wire layout, coalesced into one write per turn', async () => {
    const sink = recordingSink();
    const writer = new FrameWriter(sink);
    for (let i = 1; i <= 500; i++) writer.data(i, i & 0xffff, 2, patterned(i, 10));
    writer.frame(FrameKind.CLOSE);
    expect(sink.writes.length).toBe(0);
    expect(writer.pendingBytes).toBe(500 * (5 + 8 + 2 + 10) + 5);
    await nextTurn();
    expect(sink.writes.length).toBe(1);
    expect(writer.pendingBytes).toBe(0);
    const expected = Buffer.concat([
      ...Array.from({ length: 500 }, (_, k) => frameBytes(FrameKind.DATA, dataBody(k + 1, (k + 1) & 0xffff, 2, patterned(k + 1, 10)))),
      frameBytes(FrameKind.CLOSE),
    ]);
    expect(Buffer.from(sink.writes[0]!).equals(expected)).toBe(true);
  });

  it('flushes at once past flushBytes, keeping order across writes', async () => {
    const sink = recordingSink();
    const writer = new FrameWriter(sink, { flushBytes: 1000 });
    const count = 1000;
    for (let i = 1; i <= count; i++) writer.data(i, 0, 1, patterned(i, 50));
    const immediateWrites = sink.writes.length;
    expect(immediateWrites).toBeGreaterThan(10);
    expect(immediateWrites).toBeLessThan(count / 10);
    await nextTurn();
    const { decoder, frames } = collector();
    for (const w of sink.writes) decoder.push(w);
    expect(frames.map((f) => dataSqn(f.body, 0))).toEqual(Array.from({ length: count }, (_, k) => k + 1));
    frames.forEach((f, k) => expect(Buffer.from(f.body.subarray(dataPayloadStart(0, 1))).equals(patterned(k + 1, 50))).toBe(true));
  });

  it('never writes into a buffer already handed to the sink', async () => {
    const sink = recordingSink();
    const writer = new FrameWriter(sink, { flushBytes: 4096 });
    for (let round = 0; round < 200; round++) {
      for (let i = 0; i < 1 + (round % 7); i++) writer.data(round * 10 + i, 0, 1, patterned(round + i, 100 + round * 13));
      if (round % 3 === 0) writer.flush();
      else await nextTurn();
    }
    writer.flush();
    expect(sink.writes.length).toBeGreaterThan(100);
    sink.writes.forEach((w, i) => expect(Buffer.from(w).equals(sink.snapshots[i]!)).toBe(true));
  });

  it('carries large payloads (64 KiB and bigger) intact', async () => {
    const sink = recordingSink();
    const writer = new FrameWriter(sink);
    const sizes = [65536, 1, 300_000, 65535, 4 * 1024 * 1024, 7];
    sizes.forEach((n, i) => writer.data(i + 1, 0xabcd, 2, patterned(i, n)));
    await nextTurn();
    const { decoder, frames } = collector();
    for (const w of sink.writes) decoder.push(w);
    expect(frames.length).toBe(sizes.length);
    frames.forEach((f, i) => {
      expect(f.kind).toBe(FrameKind.DATA);
      expect(dataSqn(f.body, 0)).toBe(i + 1);
      expect(dataHead(f.body, 0, 2)).toBe(0xabcd);
      expect(Buffer.from(f.body.subarray(dataPayloadStart(0, 2))).equals(patterned(i, sizes[i]!))).toBe(true);
    });
    expect(sink.writes.length).toBeLessThanOrEqual(sizes.length);
  });

  it('writes heads of every size and SQNs up to 2^53 big-endian', async () => {
    const sink = recordingSink();
    const writer = new FrameWriter(sink);
    const cases: [number, number, number][] = [[1, 0xff, 1], [2 ** 32, 0xffff, 2], [2 ** 53 - 1, 0xffffff, 3], [77, 0xffffffff, 4]];
    for (const [sqn, head, size] of cases) writer.data(sqn, head, size, Buffer.from([1]));
    writer.flush();
    const expected = Buffer.concat(cases.map(([sqn, head, size]) => frameBytes(FrameKind.DATA, dataBody(sqn, head, size, Buffer.from([1])))));
    expect(Buffer.from(sink.writes[0]!).equals(expected)).toBe(true);
  });

  it('credit() and end() write their u32 / u64 bodies', () => {
    const sink = recordingSink();
    const writer = new FrameWriter(sink);
    writer.credit(1024);
    writer.end(2 ** 40 + 1);
    writer.frame(FrameKind.ERROR, Buffer.from('why'));
    writer.flush();
    const { decoder, frames } = collector();
    decoder.push(sink.writes[0]!);
    expect(frames[0]).toEqual({ kind: FrameKind.CREDIT, body: Buffer.from([0, 0, 4, 0]) });
    expect(frames[1]!.kind).toBe(FrameKind.END);
    expect(dataSqn(frames[1]!.body, 0)).toBe(2 ** 40 + 1);
    expect(frames[2]).toEqual({ kind: FrameKind.ERROR, body: Buffer.from('why') });
  });
});

describe('frame writer - timers', () => {
  it('schedules one end-of-turn flush however many frames are added', () => {
    vi.useFakeTimers();
    const sink = recordingSink();
    const writer = new FrameWriter(sink);
    for (let i = 0; i < 100; i++) writer.frame(FrameKind.CREDIT, Buffer.from([0, 0, 0, 1]));
    expect(vi.getTimerCount()).toBe(1);
    vi.runAllTimers();
    expect(sink.writes.length).toBe(1);
  });

  it('with flushMs > 0 flushes when the timer fires, not at the end of the turn', () => {
    vi.useFakeTimers();
    const sink = recordingSink();
    const writer = new FrameWriter(sink, { flushMs: 20 });
    writer.frame(FrameKind.CLOSE);
    vi.advanceTimersByTime(19);
    expect(sink.writes.length).toBe(0);
    writer.frame(FrameKind.CLOSE);
    vi.advanceTimersByTime(1);
    expect(sink.writes.length).toBe(1);
    expect(sink.writes[0]!.length).toBe(10);
  });

  it('flush() cancels the scheduled flush; close() drops pending frames and ignores later ones', () => {
    vi.useFakeTimers();
    const sink = recordingSink();
    const writer = new FrameWriter(sink);
    writer.frame(FrameKind.CLOSE);
    writer.flush();
    expect(vi.getTimerCount()).toBe(0);
    writer.frame(FrameKind.CLOSE);
    writer.close();
    expect(vi.getTimerCount()).toBe(0);
    writer.data(1, 0, 1, Buffer.from([1]));
    writer.flush();
    expect(writer.pendingBytes).toBe(0);
    expect(sink.writes.length).toBe(1);
  });

  it('reports when the sink needs a drain', () => {
    const writer = new FrameWriter({ write: () => false });
    expect(writer.needsDrain).toBe(false);
    writer.frame(FrameKind.CLOSE);
    writer.flush();
    expect(writer.needsDrain).toBe(true);
    expect(new FrameWriter({ write: () => true, writableNeedDrain: true }).needsDrain).toBe(true);
  });
});

describe('frame writer - aligned payloads', () => {
  it('pads with PAD frames so each payload starts at a multiple of its alignment in the stream', async () => {
    const sink = recordingSink();
    const writer = new FrameWriter(sink, { streamOffset: 37 });
    const aligns = [1, 2, 4, 8];
    for (let sqn = 1; sqn <= 400; sqn++) writer.data(sqn, 0, (sqn % 4) + 1, patterned(sqn, (sqn * 13) % 301), aligns[sqn % 4]);
    await nextTurn();
    const stream = Buffer.concat(sink.snapshots);
    let offset = 37;
    let pads = 0;
    let sqnNext = 1;
    for (let at = 0; at < stream.length; ) {
      const length = stream.readUInt32BE(at);
      const kind = stream[at + 4];
      if (kind === FrameKind.PAD) {
        pads++;
        expect(stream.subarray(at + 5, at + 4 + length).every((b) => b === 0)).toBe(true);
      } else {
        expect(kind).toBe(FrameKind.DATA);
        const sqn = dataSqn(stream, at + 5);
        expect(sqn).toBe(sqnNext++);
        const payloadAt = dataPayloadStart(at + 5, (sqn % 4) + 1);
        expect((offset + payloadAt - at) % aligns[sqn % 4]!).toBe(0);
        expect(stream.subarray(payloadAt, at + 4 + length).equals(patterned(sqn, (sqn * 13) % 301))).toBe(true);
      }
      offset += 4 + length;
      at += 4 + length;
    }
    expect(sqnNext).toBe(401);
    expect(pads).toBeGreaterThan(100);
  });
});

describe('frame writer - zero-copy payloads', () => {
  /** A socket-like sink that keeps `queued` bytes (as if the kernel were full) until release(). */
  function holdingSink() {
    const writes: { buf: Uint8Array; done?: () => void }[] = [];
    let queued = 0;
    let corked = 0;
    const gathered: number[] = [];
    return {
      writes,
      gathered,
      get writableLength() {
        return queued;
      },
      hold: false,
      cork() {
        corked++;
        gathered.push(0);
      },
      uncork() {
        corked--;
      },
      write(buf: Uint8Array, done?: () => void): boolean {
        writes.push({ buf, done });
        if (corked > 0) gathered[gathered.length - 1]!++;
        if (this.hold) queued += buf.byteLength;
        return true;
      },
    };
  }

  it('hands the payload itself to the sink after its prefix, in one corked write, and says whether the sink holds it', async () => {
    const sink = holdingSink();
    const writer = new FrameWriter(sink);
    writer.data(1, 0, 1, patterned(1, 100));
    const payload = patterned(2, 65_536);
    let written = 0;
    expect(writer.dataZeroCopy(2, 7, 1, payload, 1, () => written++)).toBe(false);
    expect(sink.writes.length).toBe(2);
    expect(sink.writes[1]!.buf).toBe(payload); // the same memory, not a copy
    expect(sink.gathered).toEqual([2]);
    sink.hold = true;
    expect(writer.dataZeroCopy(3, 0, 1, payload, 1, () => written++)).toBe(true);
    writer.end(3);
    writer.flush();
    const stream = Buffer.concat(sink.writes.map((w) => Buffer.from(w.buf)));
    const { decoder, frames } = collector();
    decoder.push(stream);
    expect(frames.map((f) => f.kind)).toEqual([FrameKind.DATA, FrameKind.DATA, FrameKind.DATA, FrameKind.END]);
    expect(frames.slice(0, 3).map((f) => dataSqn(f.body, 0))).toEqual([1, 2, 3]);
    expect(dataHead(frames[1]!.body, 0, 1)).toBe(7);
    expect(frames[1]!.body.subarray(dataPayloadStart(0, 1)).equals(payload)).toBe(true);
    expect(frames[2]!.body.subarray(dataPayloadStart(0, 1)).equals(payload)).toBe(true);
  });

  it('pads a zero-copy payload like a copied one', async () => {
    const sink = holdingSink();
    const writer = new FrameWriter(sink, { streamOffset: 37 });
    writer.dataZeroCopy(1, 0, 1, new Uint8Array(new Float64Array(8192).fill(1.5).buffer), 8, () => {});
    const stream = Buffer.concat(sink.writes.map((w) => Buffer.from(w.buf)));
    expect(stream[4]).toBe(FrameKind.PAD);
    const dataAt = 4 + stream.readUInt32BE(0);
    expect((37 + dataPayloadStart(dataAt + 5, 1)) % 8).toBe(0);
  });
});
