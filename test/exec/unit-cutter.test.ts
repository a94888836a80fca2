import { describe, expect, it } from 'vitest';
import { createCodec } from '../../src/wire/codecs.js';
import { UnitCutter } from '../../src/worker/exec/unit-cutter.js';

/** All units in `stream`, fed in chunks of `chunk` bytes. */
function cut(cutter: UnitCutter, stream: Buffer, chunk: number): { head: number; payload: string }[] {
  const units: { head: number; payload: string }[] = [];
  for (let at = 0; at < stream.length; at += chunk) {
    cutter.push(stream.subarray(at, at + chunk));
    while (cutter.next()) units.push({ head: cutter.head, payload: Buffer.from(cutter.payload).toString('hex') });
  }
  return units;
}

describe('executable jobs - cutting a program output into blocks', () => {
  it('cuts [head] + fixed-size payloads however the bytes are chunked', () => {
    const stream = Buffer.from('0a' + '010203' + 'f0' + '040506' + '0b', 'hex');
    for (const chunk of [1, 2, 3, 4, 100]) {
      const cutter = new UnitCutter(1, createCodec({ kind: 'bytes', blockSize: 3 }));
      expect(cut(cutter, stream, chunk)).toEqual([
        { head: 0x0a, payload: '010203' },
        { head: 0xf0, payload: '040506' },
      ]);
      expect(cutter.buffered).toBe(1); // a block cut short: the host reports it
    }
  });

  it('reads multi-byte heads big-endian and cuts JSON lines', () => {
    const stream = Buffer.concat([Buffer.from([0x12, 0x34]), Buffer.from('{"a":1}\n'), Buffer.from([0, 1]), Buffer.from('[2]\n')]);
    for (const chunk of [1, 5, 64]) {
      const cutter = new UnitCutter(2, createCodec({ kind: 'json' }));
      const units = cut(cutter, stream, chunk).map((u) => ({ head: u.head, text: Buffer.from(u.payload, 'hex').toString() }));
      expect(units).toEqual([
        { head: 0x1234, text: '{"a":1}\n' },
        { head: 1, text: '[2]\n' },
      ]);
      expect(cutter.buffered).toBe(0);
    }
  });

  it('cuts float32 frames without a head', () => {
    const frames = Buffer.from(new Float32Array([1, 2, 3, 4, 5, 6]).buffer);
    const codec = createCodec({ kind: 'typed', type: 'float32', length: 3 });
    const cutter = new UnitCutter(0, codec);
    const values: number[][] = [];
    for (let at = 0; at < frames.length; at += 5) {
      cutter.push(frames.subarray(at, at + 5));
      while (cutter.next()) values.push(Array.from(codec.decodeFromStream(cutter.payload) as Float32Array));
    }
    expect(values).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
  });
});
