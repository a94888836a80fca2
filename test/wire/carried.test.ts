import msgpackLite from 'msgpack-lite';
import { describe, expect, it } from 'vitest';
import { MarveloError } from '../../src/errors.js';
import { createCodec } from '../../src/wire/codecs.js';
import type { Codec } from '../../src/wire/types.js';
import { Point, Tagged } from '../fixtures/value-classes.js';

/** Encode like the wire does (a copy out of the codec's scratch), then decode. */
function roundTrip(codec: Codec, value: unknown): unknown {
  const bytes = Buffer.from(codec.encode(value));
  return codec.decode(bytes, 0, bytes.byteLength);
}

function refusal(codec: Codec, value: unknown): MarveloError {
  try {
    codec.encode(value);
  } catch (e) {
    expect(e).toBeInstanceOf(MarveloError);
    expect((e as MarveloError).code).toBe('MRV_WIRE_CODEC');
    return e as MarveloError;
  }
  throw new Error(`expected MRV_WIRE_CODEC for ${String(value)}, the value was encoded`);
}

const cyclic: Record<string, unknown> = { a: 1 };
cyclic.self = cyclic;

/** [what, value, message pattern (type and where), hint pattern] */
type Refused = [string, unknown, RegExp, RegExp];

const REFUSED_BY_BOTH: Refused[] = [
  ['function', () => 1, /cannot carry a function:/, /send the data/],
  ['nested function', { id: 1, onDone: () => 1 }, /a function at value\.onDone:/, /send the data/],
  ['symbol', Symbol('s'), /a symbol:/, /string/],
  ['symbol in an array', [1, Symbol('s')], /a symbol at value\[1\]:/, /string/],
  ['Map', new Map([['a', 1]]), /a Map:/, /Object\.fromEntries\(map\)/],
  ['Map deep inside', { list: [{ m: new Map() }] }, /a Map at value\.list\[0\]\.m:/, /Object\.fromEntries/],
  ['Set', new Set([1]), /a Set:/, /\[\.\.\.set\]/],
  ['class instance', new Point(1, 2), /an instance of class Point:/, /\{ \.\.\.value \}.*toJSON/],
  ['Float32Array', new Float32Array(3), /a Float32Array:/, /codec: float32 and length: 3|Array\.from/],
  ['Int16Array', new Int16Array(2), /an Int16Array:/, /Array\.from/],
  ['DataView', new DataView(new ArrayBuffer(4)), /a DataView:/, /Uint8Array/],
  ['ArrayBuffer', new ArrayBuffer(4), /an ArrayBuffer:/, /Uint8Array/],
  ['Error', new TypeError('x'), /a TypeError:/, /error\.message/],
  ['RegExp', /x/g, /a RegExp:/, /re\.source/],
  ['boxed number', Object(5) as unknown, /a Number:/, /valueOf/],
  ['a value that contains itself', cyclic, /nested more than 1000 levels deep at value\.self\.self/, /refers to itself/],
  ['a key that is not a plain name', { 'two words': [() => 1] }, /a function at value\["two words"\]\[0\]:/, /send the data/],
];

const REFUSED_BY_MSGPACK: Refused[] = [
  ['bigint beyond 64 bits', 2n ** 64n, /a bigint beyond 64 bits:/, /toString\(\).*BigInt\(text\)/],
  ['negative bigint beyond 64 bits', -(2n ** 63n) - 1n, /a bigint beyond 64 bits:/, /BigInt/],
  ['lone surrogate', { name: 'a\uD800' }, /a string with a lone surrogate at value\.name:/, /toWellFormed/],
];

const REFUSED_BY_JSON: Refused[] = [
  ['bigint', 5n, /a bigint:/, /String\(value\).*msgpack/],
  ['Date', new Date(0), /a Date:/, /toISOString/],
  ['NaN', { ratio: NaN }, /NaN at value\.ratio:/, /msgpack/],
  ['Infinity', [Infinity], /Infinity at value\[0\]:/, /msgpack/],
  ['-Infinity', -Infinity, /-Infinity:/, /msgpack/],
  ['Buffer', Buffer.from([1]), /a Buffer:/, /msgpack.*bytes pipe/],
  ['Uint8Array', new Uint8Array(1), /a Uint8Array:/, /msgpack/],
];

/** [what, value sent, value that arrives] */
type Carried = [string, unknown, unknown];

const CARRIED_BY_BOTH: Carried[] = [
  ['numbers, strings, arrays, plain objects', { n: [0, -1.5, 2 ** 60, 'ü😀'], o: { deep: [[true, null]] } }, { n: [0, -1.5, 2 ** 60, 'ü😀'], o: { deep: [[true, null]] } }],
  ['an object without a prototype', Object.assign(Object.create(null) as object, { a: 1 }), { a: 1 }],
  ['what toJSON() returns', new Tagged('t'), { tag: 't' }],
  ['undefined, as null', undefined, null],
  ['undefined in an array, as null', [undefined], [null]],
];

const CARRIED_BY_MSGPACK: Carried[] = [
  ['NaN and the infinities', [NaN, Infinity, -Infinity], [NaN, Infinity, -Infinity]],
  ['bigints, as bigints', [5n, -1n, 0n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 64n - 1n], [5n, -1n, 0n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 64n - 1n]],
  ['Dates, to the millisecond', [new Date(Date.UTC(2024, 1, 29, 12, 0, 0, 250)), new Date(-1500), new Date(NaN)], [new Date(Date.UTC(2024, 1, 29, 12, 0, 0, 250)), new Date(-1500), new Date(NaN)]],
  ['binary, as a Buffer', { b: new Uint8Array([1, 2]) }, { b: Buffer.from([1, 2]) }],
  ['undefined in an object, as null', { a: undefined }, { a: null }],
];

const CARRIED_BY_JSON: Carried[] = [
  ['a lone surrogate (escaped)', 'a\uD800b', 'a\uD800b'],
  ['undefined in an object, left out', { a: undefined, b: 1 }, { b: 1 }],
];

for (const kind of ['msgpack', 'json'] as const) {
  describe(`what the ${kind} codec carries`, () => {
    const codec = createCodec({ kind }, undefined, { pipe: 'p7' });
    const refused = [...REFUSED_BY_BOTH, ...(kind === 'msgpack' ? REFUSED_BY_MSGPACK : REFUSED_BY_JSON)];
    const carried = [...CARRIED_BY_BOTH, ...(kind === 'msgpack' ? CARRIED_BY_MSGPACK : CARRIED_BY_JSON)];

    for (const [what, value, message, hint] of refused) {
      it(`refuses ${what}, naming the pipe, the type and where it is, with a hint the user can follow`, () => {
        const e = refusal(codec, value);
        expect(e.message).toMatch(new RegExp(`^${kind} cannot carry `));
        expect(e.message).toMatch(message);
        expect(e.pipe).toBe('p7');
        expect(e.hint).toMatch(hint);
        expect(e.hint).not.toMatch(/useBigIntExtension|largeBigInt/);
        // the same for an executable's stream
        refusal({ ...codec, encode: codec.encodeForStream }, value);
      });
    }

    for (const [what, value, arrives] of carried) {
      it(`carries ${what}`, () => {
        const out = roundTrip(codec, value);
        expect(out).toEqual(arrives);
        if (arrives !== null && typeof arrives === 'object') expect(Object.getPrototypeOf(out)).toBe(Object.getPrototypeOf(arrives));
      });
    }

    it('carries -0 as 0 (documented)', () => {
      expect(Object.is(roundTrip(codec, -0), 0)).toBe(true);
    });
  });
}

describe('msgpack bigints and Dates stay readable by other msgpack readers', () => {
  const codec = createCodec({ kind: 'msgpack' });

  it('writes a bigint as a plain int64 / uint64', () => {
    expect(Buffer.from(codec.encode(5n)).toString('hex')).toBe('d30000000000000005');
    expect(Buffer.from(codec.encode(2n ** 64n - 1n)).toString('hex')).toBe('cfffffffffffffffff');
    expect(msgpackLite.decode(Buffer.from(codec.encode(-(2n ** 40n))))).toBe(-(2 ** 40));
  });

  it('writes a Date as the msgpack timestamp extension (type -1)', () => {
    expect(Buffer.from(codec.encode(new Date(1000))).toString('hex')).toBe('d6ff00000001');
  });

  it('still writes JS numbers beyond 32 bits as float64, which decode as numbers', () => {
    expect(Buffer.from(codec.encode([2 ** 40])).toString('hex')).toBe('91cb4270000000000000');
    expect(roundTrip(codec, [2 ** 40, -(2 ** 40)])).toEqual([2 ** 40, -(2 ** 40)]);
  });
});
