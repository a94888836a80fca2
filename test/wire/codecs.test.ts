import msgpackLite from 'msgpack-lite';
import { describe, expect, it } from 'vitest';
import type { CodecSpec } from '../../src/config/types.js';
import { MarveloError } from '../../src/errors.js';
import { createCodec } from '../../src/wire/codecs.js';
import { createTypedCodec } from '../../src/wire/codecs/typed.js';
import type { Codec, CustomCodecModule } from '../../src/wire/types.js';

function codecErrorOf(fn: () => unknown): MarveloError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(MarveloError);
    expect((e as MarveloError).code).toBe('MRV_WIRE_CODEC');
    return e as MarveloError;
  }
  throw new Error('expected MRV_WIRE_CODEC, nothing was thrown');
}

/** Encode like the wire does: copy out of the codec's scratch before the next encode. */
function roundTrip(codec: Codec, value: unknown): unknown {
  const bytes = Buffer.from(codec.encode(value));
  return decodeAll(codec, bytes);
}

/** measure() on a stream of several values, at every truncation point. */
function checkMeasure(codec: Codec, values: unknown[]): void {
  const parts = values.map((v) => Buffer.from(codec.encodeForStream(v)));
  const stream = Buffer.concat([Buffer.from([0xee, 0xee]), ...parts]); // measured from offset 2
  let start = 2;
  for (const part of parts) {
    const wrong: number[] = []; // truncations not reported as incomplete (one expect, for speed)
    for (let end = start; end < start + part.length; end++) if (codec.measure(stream, start, end) !== -1) wrong.push(end - start);
    expect(wrong).toEqual([]);
    expect(codec.measure(stream, start, stream.length)).toBe(part.length);
    expect(codec.measure(stream, start, start + part.length)).toBe(part.length);
    start += part.length;
  }
  expect(codec.measure(stream, start, start)).toBe(-1);
}

const MSGPACK_VALUES: unknown[] = [
  null, true, false, 0, 1, -1, 127, 128, 255, 256, -32, -33, -128, -129, 65535, 65536, -32768, -32769,
  2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, -(2 ** 31), -(2 ** 31) - 1, 2 ** 40 + 7, -(2 ** 40) - 7,
  Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 0.5, -1.25, 3.141592653589793, 1e300, -1e-300,
  Infinity, -Infinity, '', 'a', 'x'.repeat(31), 'x'.repeat(32), 'y'.repeat(255), 'y'.repeat(256),
  'z'.repeat(70000), 'héllo wörld', '日本語テキスト', '😀 emoji 🚀', [], [1, 2, 3], new Array(20).fill(7),
  new Array(70000).fill(1), {}, { a: 1, b: 'two', c: [3, { d: null }] }, { nested: { deeper: { deepest: [[[]]] } } },
  Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, i])),
  Buffer.from([]), Buffer.from([1, 2, 3]), Buffer.alloc(300, 9), Buffer.alloc(70000, 5),
  { bin: Buffer.from('bytes'), list: [true, false, null], float: 2.5, neg: -100000 },
];

describe('codecs - msgpack', () => {
  const codec = createCodec({ kind: 'msgpack' });

  it('round-trips every kind of value', () => {
    for (const v of MSGPACK_VALUES) expect(roundTrip(codec, v)).toEqual(v);
    expect(Number.isNaN(roundTrip(codec, NaN))).toBe(true);
    expect(roundTrip(codec, undefined)).toBe(null);
  });

  it('decodes binary as a copy that does not alias the receive buffer', () => {
    expect(codec.zeroCopy).toBe(false);
    expect(codec.payloadAlign).toBe(1);
    const wire = Buffer.from(codec.encode({ b: Buffer.from([1, 2, 3]) }));
    const out = decodeAll(codec, wire) as { b: Buffer };
    wire.fill(0);
    expect([...out.b]).toEqual([1, 2, 3]);
    // from a plain Uint8Array view at an offset, bin still decodes as a Buffer
    const encoded = codec.encode({ b: Buffer.from([4, 5]) });
    const plain = new Uint8Array(encoded.length + 3);
    plain.set(encoded, 3);
    const fromPlain = decodeAll(codec, plain.subarray(3)) as { b: Buffer };
    expect(Buffer.isBuffer(fromPlain.b)).toBe(true);
    expect([...fromPlain.b]).toEqual([4, 5]);
  });

  it('is read by msgpack-lite, and reads what msgpack-lite writes', () => {
    for (const v of MSGPACK_VALUES) {
      expect(msgpackLite.decode(Buffer.from(codec.encode(v)))).toEqual(v);
      expect(decodeAll(codec, msgpackLite.encode(v))).toEqual(v);
    }
  });

  it('decodes every 64-bit integer as a bigint, so bigints round-trip', () => {
    expect(decodeAll(codec, Buffer.from('cf0000010000000005', 'hex'))).toBe(2n ** 40n + 5n);
    expect(decodeAll(codec, Buffer.from('d3ffffff0000000000', 'hex'))).toBe(-(2n ** 40n));
    expect(decodeAll(codec, Buffer.from('cf8000000000000000', 'hex'))).toBe(2n ** 63n);
  });

  it('zero() is null', () => {
    expect(codec.zero()).toBe(null);
  });

  it('measures one value at a time in a stream, -1 on every truncation', () => {
    checkMeasure(codec, MSGPACK_VALUES);
    // forms msgpackr never writes but other writers do
    const others = ['ca3fc00000', 'c7020101ff', 'c800020101ff', 'c90000000201aabb', 'd40101', 'd5010102', 'd601aabbccdd',
      'd701' + '00'.repeat(8), 'd801' + '00'.repeat(16), 'dc0002c0c3', 'dd00000001c2', 'de0001a161c0', 'df00000001a161c0',
      'd90161', 'da000161', 'db0000000161', 'c40101', 'c5000101', 'c600000001ff'];
    for (const hex of others) {
      const value = Buffer.from(hex, 'hex');
      for (let end = 0; end < value.length; end++) expect(codec.measure(value, 0, end)).toBe(-1);
      expect(codec.measure(Buffer.concat([value, Buffer.from([0x01])]), 0, value.length + 1)).toBe(value.length);
    }
  });

  it('reports a corrupt stream (byte 0xc1) as MRV_WIRE_CODEC', () => {
    expect(codecErrorOf(() => codec.measure(Buffer.from([0x92, 0x01, 0xc1]), 0, 3)).message).toMatch(/0xc1/);
  });

  it('gives MRV_WIRE_CODEC for unencodable values and undecodable payloads', () => {
    expect(codecErrorOf(() => codec.encode(2n ** 70n)).message).toMatch(/msgpack cannot carry a bigint beyond 64 bits/);
    expect(codecErrorOf(() => codec.encode(Symbol('s'))).message).toMatch(/symbol/);
    expect(codecErrorOf(() => decodeAll(codec, Buffer.from([0x92, 0x01]))).message).toMatch(/cannot decode a payload of 2 bytes/);
  });

  it('names the pipe in errors when given', () => {
    const named = createCodec({ kind: 'msgpack' }, undefined, { pipe: 'p1' });
    expect(codecErrorOf(() => named.encode(2n ** 70n)).pipe).toBe('p1');
  });
});

describe('codecs - json', () => {
  const codec = createCodec({ kind: 'json' });
  const values: unknown[] = [null, true, 0, -1.5, 2 ** 40, 'text with\nnewline and "quotes"', 'ünïcødé 😀', [], [1, [2, [3]]], { a: { b: [null, 'c'] } }];

  it('round-trips JSON values without a newline on the wire', () => {
    for (const v of values) {
      const bytes = codec.encode(v);
      expect(bytes.includes(0x0a)).toBe(false);
      expect(decodeAll(codec, Buffer.from(bytes))).toEqual(v);
    }
    expect(roundTrip(codec, undefined)).toBe(null);
    expect(codec.zero()).toBe(null);
    expect(codec.zeroCopy).toBe(false);
    expect(codec.payloadAlign).toBe(1);
  });

  it('adds a newline for executables and strips it again', () => {
    const line = Buffer.from(codec.encodeForStream({ a: 1 }));
    expect(line.toString('utf8')).toBe('{"a":1}\n');
    expect(codec.decodeFromStream(line)).toEqual({ a: 1 });
    expect(codec.decodeFromStream(Buffer.from('[1,2]\r\n'))).toEqual([1, 2]);
  });

  it('measures through the newline', () => {
    checkMeasure(codec, values);
  });

  it('gives MRV_WIRE_CODEC for bigint, cycles and bad text', () => {
    expect(codecErrorOf(() => codec.encode(1n)).hint).toMatch(/String\(value\).*msgpack/);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    codecErrorOf(() => codec.encode(cyclic));
    expect(codecErrorOf(() => decodeAll(codec, Buffer.from('{"a":'))).message).toMatch(/json cannot decode a payload of 5 bytes/);
    codecErrorOf(() => decodeAll(codec, Buffer.from([0xff, 0xfe])));
  });
});

describe('codecs - bytes', () => {
  const codec = createCodec({ kind: 'bytes', blockSize: 4 });

  it('decodes exactly blockSize bytes as a Buffer view of the payload range (zero-copy)', () => {
    expect(codec.zeroCopy).toBe(true);
    expect(codec.payloadAlign).toBe(1);
    expect(codec.fixedSize).toBe(4);
    const wire = Buffer.from([9, 1, 2, 3, 4, 9]);
    const out = codec.decode(wire, 1, 5) as Buffer;
    expect(Buffer.isBuffer(out)).toBe(true);
    expect([...out]).toEqual([1, 2, 3, 4]);
    expect(out.buffer).toBe(wire.buffer);
    expect(out.byteOffset).toBe(wire.byteOffset + 1);
    wire[1] = 7; // same memory
    expect(out[0]).toBe(7);
    // a plain Uint8Array at an offset still gives a Buffer viewing it
    const plain = new Uint8Array([0, 0, 5, 6, 7, 8, 0]).subarray(1);
    const fromPlain = codec.decode(plain, 1, 5) as Buffer;
    expect(Buffer.isBuffer(fromPlain)).toBe(true);
    expect([...fromPlain]).toEqual([5, 6, 7, 8]);
    expect(fromPlain.buffer).toBe(plain.buffer);
    expect(fromPlain.byteOffset).toBe(2);
  });

  it('decodeFromStream returns a Buffer copy that does not alias its input', () => {
    for (const stream of [Buffer.from([1, 2, 3, 4]), new Uint8Array([0, 1, 2, 3, 4]).subarray(1)]) {
      const out = codec.decodeFromStream(stream) as Buffer;
      expect(Buffer.isBuffer(out)).toBe(true);
      expect(aliases(out, stream)).toBe(false); // a copy may share a pool's ArrayBuffer, not bytes
      stream.fill(0);
      expect([...out]).toEqual([1, 2, 3, 4]);
    }
    expect(codecErrorOf(() => codec.decodeFromStream(new Uint8Array(5))).message).toMatch(/4 bytes, received 5/);
  });

  it('accepts Buffer, Uint8Array, other views and ArrayBuffer, zero-copy', () => {
    const u8 = new Uint8Array([9, 8, 7, 6]);
    expect(codec.encode(u8)).toBe(u8);
    expect([...codec.encode(Buffer.from([1, 1, 1, 1]))]).toEqual([1, 1, 1, 1]);
    expect([...codec.encode(new Uint16Array([0x0102, 0x0304]))]).toEqual([2, 1, 4, 3]);
    const big = new Uint8Array([0, 1, 2, 3, 4, 5]);
    const view = new DataView(big.buffer, 1, 4);
    const enc = codec.encode(view);
    expect([...enc]).toEqual([1, 2, 3, 4]);
    expect(enc.buffer).toBe(big.buffer);
    expect([...codec.encode(new Uint8Array([5, 5, 5, 5]).buffer)]).toEqual([5, 5, 5, 5]);
  });

  it('gives MRV_WIRE_CODEC with the expected and actual size', () => {
    expect(codecErrorOf(() => codec.encode(new Uint8Array(5))).message).toBe('bytes codec expects exactly 4 bytes, got 5');
    expect(codecErrorOf(() => codec.encode('abcd')).message).toMatch(/expects a Uint8Array or Buffer of 4 bytes, got a string of length 4/);
    expect(codecErrorOf(() => codec.encode([1, 2, 3, 4])).message).toMatch(/an array of 4 elements/);
    expect(codecErrorOf(() => decodeAll(codec, new Uint8Array(3))).message).toMatch(/4 bytes, received 3/);
  });

  it('zero() is a fresh zero-filled buffer; measure() is fixed-size', () => {
    const z = codec.zero() as Buffer;
    expect([...z]).toEqual([0, 0, 0, 0]);
    (z as Buffer)[0] = 1;
    expect((codec.zero() as Buffer)[0]).toBe(0);
    checkMeasure(codec, [Buffer.from([1, 2, 3, 4]), Buffer.from([5, 6, 7, 8])]);
  });

  it('rejects a bad blockSize at creation', () => {
    codecErrorOf(() => createCodec({ kind: 'bytes', blockSize: 0 }));
    codecErrorOf(() => createCodec({ kind: 'bytes', blockSize: 1.5 }));
  });
});

describe('codecs - typed', () => {
  const cases = [
    { type: 'float32', Ctor: Float32Array, values: [0, -0, 1.5, -2.25, 3.4028234663852886e38, 1.401298464324817e-45, Infinity, -Infinity] },
    { type: 'float64', Ctor: Float64Array, values: [0, -0, Math.PI, -Number.MAX_VALUE, Number.MIN_VALUE, Infinity, -Infinity, 2 ** 53] },
    { type: 'int16', Ctor: Int16Array, values: [0, 1, -1, 32767, -32768, 255, 256, -256] },
    { type: 'int32', Ctor: Int32Array, values: [0, 1, -1, 2147483647, -2147483648, 65536, -65536, 123456789] },
  ] as const;

  for (const { type, Ctor, values } of cases) {
    const spec: CodecSpec = { kind: 'typed', type, length: values.length };

    it(`${type}: round-trips edge values; a misaligned payload decodes as an aligned copy`, () => {
      const codec = createCodec(spec);
      const input = new Ctor(values);
      const wire = Buffer.from(codec.encode(input));
      expect(wire.length).toBe(values.length * Ctor.BYTES_PER_ELEMENT);
      expect(codec.fixedSize).toBe(wire.length);
      // raw little-endian on the wire
      const dv = new DataView(wire.buffer, wire.byteOffset, wire.byteLength);
      if (type === 'int16') expect(dv.getInt16(2, true)).toBe(values[1]);
      if (type === 'int32') expect(dv.getInt32(8, true)).toBe(values[2]);
      // from an offset that is not a multiple of the element size: an aligned copy
      for (const shift of new Set([1, Ctor.BYTES_PER_ELEMENT / 2])) {
        const arena = Buffer.alloc(16 + wire.length);
        wire.copy(arena, 8 + shift);
        const out = codec.decode(arena, 8 + shift, 8 + shift + wire.length) as InstanceType<typeof Ctor>;
        expect(out).toBeInstanceOf(Ctor);
        expect(aliases(out, arena)).toBe(false);
        expect(out.byteOffset % Ctor.BYTES_PER_ELEMENT).toBe(0);
        expect(Array.from(out)).toEqual(Array.from(input));
        expect(Object.is(out[1], input[1])).toBe(true); // -0 kept for floats
        arena.fill(0);
        expect(Array.from(out)).toEqual(Array.from(input));
      }
    });

    it(`${type}: an aligned payload decodes as a ${Ctor.name} viewing it (zero-copy)`, () => {
      const codec = createCodec(spec);
      expect(codec.zeroCopy).toBe(true);
      expect(codec.payloadAlign).toBe(Ctor.BYTES_PER_ELEMENT);
      const input = new Ctor(values);
      const wire = Buffer.from(codec.encode(input));
      const arena = Buffer.alloc(16 + wire.length);
      wire.copy(arena, 8);
      // the alignment that counts is in the ArrayBuffer: byteOffset of the view plus start
      const view = arena.subarray(4);
      const out = codec.decode(view, 4, 4 + wire.length) as InstanceType<typeof Ctor>;
      expect(out).toBeInstanceOf(Ctor);
      expect(out.buffer).toBe(arena.buffer);
      expect(out.byteOffset).toBe(8);
      expect(out.length).toBe(values.length);
      expect(Array.from(out)).toEqual(Array.from(input));
      expect(Object.is(out[1], input[1])).toBe(true);
      arena.fill(0, 8, 8 + Ctor.BYTES_PER_ELEMENT); // same memory
      expect(out[0]).toBe(0);
      out[2] = 5;
      expect(codec.decode(arena, 8, 8 + wire.length) as InstanceType<typeof Ctor>).toEqual(out);
    });

    it(`${type}: decodeFromStream returns an aligned copy that does not alias its input`, () => {
      const codec = createCodec(spec);
      const input = new Ctor(values);
      const wire = Buffer.from(codec.encode(input));
      const aligned = Buffer.alloc(wire.length);
      wire.copy(aligned);
      const misaligned = Buffer.alloc(wire.length + 1).subarray(1);
      wire.copy(misaligned);
      for (const stream of [aligned, misaligned, new Uint8Array(aligned)]) {
        const out = codec.decodeFromStream(stream) as InstanceType<typeof Ctor>;
        expect(out).toBeInstanceOf(Ctor);
        expect(aliases(out, stream)).toBe(false);
        expect(out.byteOffset % Ctor.BYTES_PER_ELEMENT).toBe(0);
        stream.fill(0);
        expect(Array.from(out)).toEqual(Array.from(input));
      }
    });

    it(`${type}: encode is a zero-copy view; a number array is converted`, () => {
      const codec = createCodec(spec);
      const backing = new Ctor(values.length + 2);
      const input = backing.subarray(1, 1 + values.length);
      input.set(values);
      const enc = codec.encode(input);
      expect(enc.buffer).toBe(backing.buffer);
      expect(enc.byteOffset).toBe(Ctor.BYTES_PER_ELEMENT);
      expect(Array.from(decodeAll(codec, Buffer.from(codec.encode([...values]))) as ArrayLike<number>)).toEqual(Array.from(input));
    });

    it(`${type}: wrong type or length gives MRV_WIRE_CODEC`, () => {
      const codec = createCodec(spec);
      const n = values.length;
      expect(codecErrorOf(() => codec.encode(new Ctor(n + 1))).message).toBe(
        `${type} codec expects a ${Ctor.name} of ${n} elements (or a number array), got a ${Ctor.name} (${n + 1} elements, ${(n + 1) * Ctor.BYTES_PER_ELEMENT} bytes)`,
      );
      const Other = Ctor === Float64Array ? Float32Array : Float64Array;
      expect(codecErrorOf(() => codec.encode(new Other(n))).message).toMatch(`got a ${Other.name}`);
      expect(codecErrorOf(() => codec.encode(new Array(n + 1).fill(0))).message).toMatch(`an array of ${n + 1} elements`);
      expect(codecErrorOf(() => codec.encode(['1', ...new Array(n - 1).fill(0)])).message).toMatch('element 0 of the array is a string');
      expect(codecErrorOf(() => decodeAll(codec, new Uint8Array(3))).message).toMatch(/received 3/);
    });

    it(`${type}: a number the element type cannot hold exactly is ${type.startsWith('int') ? 'refused, not wrapped' : 'rounded as the type does'}`, () => {
      const codec = createCodec(spec);
      const n = values.length;
      for (const bad of [type === 'int32' ? 2 ** 31 : 70000, 2 ** 40, 1.5, NaN]) {
        const arr = new Array(n).fill(0);
        arr[n - 1] = bad;
        if (type.startsWith('int')) {
          const e = codecErrorOf(() => codec.encode(arr));
          expect(e.message).toBe(`${type} codec: element ${n - 1} of the array (${bad}) is not an ${type}`);
          expect(e.hint).toMatch(/integers from/);
        } else {
          expect(Array.from(decodeAll(codec, Buffer.from(codec.encode(arr))) as ArrayLike<number>)[n - 1]).toEqual(new Ctor([bad])[0]);
        }
      }
    });

    it(`${type}: zero() is a fresh zero-filled ${Ctor.name}; measure() is fixed-size`, () => {
      const codec = createCodec(spec);
      const z = codec.zero();
      expect(z).toBeInstanceOf(Ctor);
      expect(Array.from(z as ArrayLike<number>).every((x) => x === 0)).toBe(true);
      expect(codec.zero()).not.toBe(z);
      checkMeasure(codec, [new Ctor(values), new Ctor(values.length)]);
    });

    it(`${type}: the byte-swapping path (big-endian hosts) writes the same little-endian bytes`, () => {
      const native = createCodec(spec);
      const swapped = createTypedCodec(type, values.length, undefined, false);
      const input = new Ctor(values);
      const a = Buffer.from(native.encode(input));
      const b = Buffer.from(swapped.encode(input));
      expect(b.equals(a)).toBe(true);
      expect(Array.from(decodeAll(swapped, a) as ArrayLike<number>)).toEqual(Array.from(input));
      // it converts element by element: never a view, even of an aligned payload
      expect(swapped.zeroCopy).toBe(false);
      expect(swapped.payloadAlign).toBe(Ctor.BYTES_PER_ELEMENT);
      const arena = Buffer.alloc(8 + a.length);
      a.copy(arena, 8);
      const out = swapped.decode(arena, 8, arena.length) as InstanceType<typeof Ctor>;
      expect(aliases(out, arena)).toBe(false);
      arena.fill(0);
      expect(Array.from(out)).toEqual(Array.from(input));
    });
  }

  it('rejects a bad length at creation', () => {
    codecErrorOf(() => createCodec({ kind: 'typed', type: 'float32', length: 0 }));
  });
});

describe('codecs - custom', () => {
  const spec: CodecSpec = { kind: 'custom', module: '/abs/point-codec.ts', exportName: 'default' };
  /** A 2D point as two float64. */
  const pointCodec: CustomCodecModule<{ x: number; y: number }> = {
    blockSize: 16,
    pack: (p) => new Uint8Array(new Float64Array([p.x, p.y]).buffer),
    unpack: (b) => {
      const f = new Float64Array(b.buffer, b.byteOffset, 2);
      return { x: f[0]!, y: f[1]! };
    },
  };

  it('wraps pack/unpack; unpack gets a private copy of the payload', () => {
    let kept: Uint8Array | undefined;
    const codec = createCodec(spec, { ...pointCodec, unpack: (b) => ((kept = b), pointCodec.unpack(b)) } as CustomCodecModule);
    const wire = Buffer.concat([Buffer.alloc(8), Buffer.from(codec.encode({ x: 1.5, y: -2 }))]);
    expect(decodeAll(codec, wire.subarray(8))).toEqual({ x: 1.5, y: -2 });
    wire.fill(0);
    expect(kept && [...kept].some((b) => b !== 0)).toBe(true);
    expect(codec.fixedSize).toBe(16);
    expect(codec.zeroCopy).toBe(false);
    expect(codec.payloadAlign).toBe(1);
  });

  it('zero() is dummy(), else unpack of zero bytes, else null', () => {
    expect(createCodec(spec, pointCodec as CustomCodecModule).zero()).toEqual({ x: 0, y: 0 });
    expect(createCodec(spec, { ...pointCodec, dummy: () => ({ x: -1, y: -1 }) } as CustomCodecModule).zero()).toEqual({ x: -1, y: -1 });
    const noSize: CustomCodecModule = { pack: (v) => Buffer.from(String(v)), unpack: (b) => Buffer.from(b).toString() };
    expect(createCodec(spec, noSize).zero()).toBe(null);
  });

  it('measure(): module measure(), else blockSize, else MRV_WIRE_CODEC', () => {
    expect(createCodec(spec, pointCodec as CustomCodecModule).measure(new Uint8Array(20), 2, 20)).toBe(16);
    expect(createCodec(spec, pointCodec as CustomCodecModule).measure(new Uint8Array(20), 5, 20)).toBe(-1);
    const lines: CustomCodecModule = {
      pack: (v) => Buffer.from(`${String(v)};`),
      unpack: (b) => Buffer.from(b).toString(),
      measure: (buf, start, end) => {
        const at = buf.indexOf(0x3b, start);
        return at < 0 || at >= end ? -1 : at - start + 1;
      },
    };
    expect(createCodec(spec, lines).measure(Buffer.from('ab;cd;'), 3, 6)).toBe(3);
    const bare: CustomCodecModule = { pack: (v) => Buffer.from(String(v)), unpack: (b) => b };
    expect(codecErrorOf(() => createCodec(spec, bare).measure(new Uint8Array(4), 0, 4)).hint).toMatch(/measure/);
  });

  it('turns module failures and wrong sizes into MRV_WIRE_CODEC with the cause', () => {
    const failing: CustomCodecModule = {
      pack: () => {
        throw new TypeError('cannot pack that');
      },
      unpack: () => {
        throw new RangeError('cannot unpack that');
      },
    };
    const codec = createCodec(spec, failing);
    const e = codecErrorOf(() => codec.encode(1));
    expect(e.message).toMatch(/custom codec \/abs\/point-codec.ts#default pack\(\) failed on a number: cannot pack that/);
    expect(e.cause).toBeInstanceOf(TypeError);
    codecErrorOf(() => decodeAll(codec, new Uint8Array(1)));
    const sized = createCodec(spec, { ...pointCodec, pack: () => new Uint8Array(3) } as CustomCodecModule);
    expect(codecErrorOf(() => sized.encode({ x: 0, y: 0 })).message).toMatch(/returned 3 bytes, its blockSize is 16/);
    const notBytes = createCodec(spec, { pack: () => 'str', unpack: (b: Uint8Array) => b } as unknown as CustomCodecModule);
    expect(codecErrorOf(() => notBytes.encode(1)).message).toMatch(/returned a string of length 3, not a Uint8Array/);
  });

  it('needs the loaded module', () => {
    expect(codecErrorOf(() => createCodec(spec)).message).toMatch(/not loaded/);
  });
});

/** Whether two views share bytes. */
function aliases(a: ArrayBufferView, b: ArrayBufferView): boolean {
  return a.buffer === b.buffer && a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength;
}

/** Decodes a whole buffer (the codec API takes a range). */
function decodeAll(codec: { decode(buf: Uint8Array, start: number, end: number): unknown }, bytes: Uint8Array): unknown {
  return codec.decode(bytes, 0, bytes.byteLength);
}

describe('codecs - msgpack fast path (encodeInto)', () => {
  const codec = createCodec({ kind: 'msgpack' });
  const values: unknown[] = [
    0, 1, 127, 128, 255, 256, 65535, 65536, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1, -1, -32, -33, -128, -129, -32768,
    -32769, -(2 ** 31), -(2 ** 31) - 1, 0.5, -1.25, Math.PI, 1e300, Number.MAX_SAFE_INTEGER, true, false, null,
    '', 'a', 'hello world', 'x'.repeat(31),
  ];

  it('writes what msgpack-lite and our decoder read back as the same value', () => {
    for (const v of values) {
      const t = new Uint8Array(64);
      const end = codec.encodeInto!(v, t, 3, 64);
      expect(end).toBeGreaterThan(3);
      const bytes = Buffer.from(t.subarray(3, end));
      expect(msgpackLite.decode(bytes)).toEqual(v);
      expect(codec.decode(t, 3, end)).toEqual(v);
      expect(codec.measure(t, 3, end)).toBe(end - 3);
    }
  });

  it('writes -0 as 0, as msgpackr does', () => {
    const t = new Uint8Array(64);
    expect(codec.encodeInto!(-0, t, 0, 64)).toBe(1);
    expect(Buffer.from(t.subarray(0, 1))).toEqual(Buffer.from(createCodec({ kind: 'msgpack' }).encode(-0)));
  });

  it('declines what it does not handle, and a target without room', () => {
    for (const v of ['x'.repeat(32), 'é', { a: 1 }, [1], new Uint8Array(2), 10n]) {
      expect(codec.encodeInto!(v, new Uint8Array(64), 0, 64)).toBe(-1);
    }
    expect(codec.encodeInto!(1, new Uint8Array(8), 0, 8)).toBe(-1);
  });
});

describe('codecs - msgpack scalar decoding', () => {
  const codec = createCodec({ kind: 'msgpack' });
  it('reads every scalar msgpack-lite writes, as msgpack-lite reads it', () => {
    const values = [0, 1, 127, 128, 255, 256, 65535, 65536, 2 ** 32 - 1, -1, -32, -33, -128, -129, -32768, -32769,
      -(2 ** 31), 0.5, -1.25, Math.PI, true, false, null, '', 'abc', 'x'.repeat(31), 'é', 2 ** 40, -(2 ** 40)];
    for (const v of values) {
      const bytes = msgpackLite.encode(v);
      const padded = Buffer.concat([Buffer.from([9, 9]), bytes, Buffer.from([7])]);
      expect(codec.decode(padded, 2, 2 + bytes.length)).toEqual(msgpackLite.decode(bytes));
    }
    // float32 (written by other encoders)
    expect(codec.decode(Buffer.from('ca3fc00000', 'hex'), 0, 5)).toBe(1.5);
  });

  it('leaves truncated or trailing bytes to msgpackr, which reports them', () => {
    expect(() => codec.decode(Buffer.from([0xcd, 0x01]), 0, 2)).toThrow(MarveloError);
    expect(() => codec.decode(Buffer.from([0x01, 0x02]), 0, 2)).toThrow(MarveloError);
  });
});
