import { describe, expect, it } from 'vitest';
import { createMsgpackCodec } from '../../src/wire/codecs/msgpack.js';
import { hasPython, python } from './helpers.js';

const codec = createMsgpackCodec('p');
const hex = (v: unknown) => Buffer.from(codec.encode(v)).toString('hex');
const decode = (h: string) => codec.decode(Buffer.from(h, 'hex'), 0, h.length / 2);

const DATE = new Date('2026-12-04T17:00:00.123Z');
// Each length family of msgpack (fix, 8, 16, 32 bits), as msgpackr writes it for marvelo's pipes.
const VALUES: unknown[] = [
  null, true, false, 0, 127, 128, 255, 256, 65535, 65536, 2 ** 32 - 1, 2 ** 32, -1, -32, -33, -128, -129, -32768, -32769, -(2 ** 31),
  1.5, -0.25, 1e300, 'x', 'é'.repeat(40), 'x'.repeat(300), 'a'.repeat(70000),
  Buffer.from([1, 2, 3]), Buffer.alloc(300, 7), Buffer.alloc(70000, 1),
  [], [1, [2, [3]]], Array.from({ length: 20 }, (_, i) => i), Array.from({ length: 70000 }, () => 0),
  { a: 1, b: { c: [null] } }, Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, i])),
  DATE, 2n ** 63n, -(2n ** 40n),
];

describe.skipIf(!hasPython)("python jobs - the runtime's msgpack against msgpackr", () => {
  const r = python(['../test/python/py/msgpack_echo.py'], JSON.stringify(VALUES.map(hex)));
  const out = JSON.parse(r.stdout || '{}') as { seen: unknown[]; again: string[]; own: string[] };

  it('decodes what marvelo writes, and writes it back so marvelo reads the same values', () => {
    expect(r.stderr).toBe('');
    expect(out.again.map(decode)).toEqual(VALUES);
  });

  it('gives Python the natural types', () => {
    const seen = (v: unknown) => out.seen[VALUES.indexOf(v)];
    expect(seen(128)).toEqual({ $int: '128' });
    expect(seen(-32769)).toEqual({ $int: '-32769' });
    expect(seen(1.5)).toEqual({ $float: '1.5' });
    expect(seen(2 ** 32)).toEqual({ $float: '4294967296.0' }); // msgpackr writes integers past 32 bits as float64
    expect(seen(2n ** 63n)).toEqual({ $int: String(2n ** 63n) });
    expect(seen(-(2n ** 40n))).toEqual({ $int: String(-(2n ** 40n)) });
    expect(seen(VALUES[27])).toEqual({ $bytes: '010203' });
    expect(seen(DATE)).toEqual({ $date: '2026-12-04T17:00:00.123000+00:00' });
    expect(seen(VALUES[34])).toEqual({ a: { $int: '1' }, b: { c: [null] } });
  });

  it("writes Python's values so marvelo reads them: tuples as arrays, 64-bit ints, bytes, datetimes", () => {
    expect(out.own.map(decode)).toEqual([
      [1, 'two', 3],
      { nested: [null, true, false, -1, -33, -200, -40000, -(2n ** 40n), 2n ** 64n - 1n, 2n ** 40n, 300, 70000] },
      Buffer.from('00ff'.repeat(200), 'hex'),
      'é'.repeat(40),
      DATE,
    ]);
  });
});
