import { describe, expect, it } from 'vitest';
import { MarveloError } from '../../src/errors.js';
import { Head, HEAD_MAX_SIZE, headBit, headMaskAll, resizeHead } from '../../src/sync/head.js';

const SIZES = [1, 2, 3, 4];

// Vectors of the original's tests/core/jobs/test_Head.py, all on h = Head(12, 1) = 0b00001100.
describe('Head: the original test_Head.py vectors', () => {
  const twelve = (): Head => new Head(12, 1);

  it('head_size: grow appends a zero byte, shrink drops it', () => {
    const h = twelve();
    expect(h.size).toBe(1);
    h.size = 2; // the original's relative `head_size = 1` (add one byte)
    expect(h.size).toBe(2);
    expect(h.value).toBe(3072);
    h.size = 1; // the original's `head_size = -1`
    expect(h.size).toBe(1);
    expect(h.value).toBe(12);
    // The original's `head_size = -4` clamped silently to 1 byte; our setter is absolute and
    // refuses sizes outside 1..4 instead.
    expect(() => (h.size = -3)).toThrow(RangeError);
    expect(h.size).toBe(1);
    expect(h.value).toBe(12);
  });

  it('slicing packs the selected bits, first one most significant', () => {
    const h = twelve();
    expect(h.slice(0, 7, 1).equals(new Head(6, 1))).toBe(true);
    expect(h.slice(0, 7, 1).value).toBe(6);
    expect(h.slice(0, 3, 1).value).toBe(0);
    expect(h.slice(0, 7, 2).value).toBe(2);
    expect(h.slice(5).value).toBe(4);
    expect(h.slice(undefined, undefined, -1).value).toBe(48);
    expect(h.slice(-2, -8, -2).value).toBe(2);
    expect(h.slice(0, 7).size).toBe(1);
  });

  it('indexing: from the MSB for i >= 0, from the LSB for i < 0', () => {
    const h = twelve();
    expect(h.get(0)).toBe(false);
    expect(h.get(5)).toBe(true);
    expect(h.get(-1)).toBe(false);
    expect(h.get(-3)).toBe(true);
    expect(h.get(-4)).toBe(true);
    expect(h.get(-5)).toBe(false);
    expect(h.get(-8)).toBe(false);
  });

  it('setting bits', () => {
    const h = twelve();
    h.set(-8, 1);
    expect(h.value).toBe(140);
    h.set(7, 1);
    expect(h.value).toBe(141);
    h.set(-3, 0);
    expect(h.value).toBe(137);
  });
});

describe('Head: every size', () => {
  it.each(SIZES)('size %i: the reserved bits are the three most significant', (size) => {
    const top = 2 ** (8 * size - 1);
    expect(headBit(size, 0)).toBe(top);
    expect(headBit(size, 1)).toBe(top / 2);
    expect(headBit(size, 2)).toBe(top / 4);
    expect(headBit(size, 8 * size - 1)).toBe(1);
    const h = new Head(top + top / 4, size);
    expect([h.corrupted, h.reset, h.finished]).toEqual([true, false, true]);
    expect(h.get(0)).toBe(true);
    expect(h.get(-(8 * size))).toBe(true);
    expect(h.value).toBeGreaterThan(0);
  });

  it.each(SIZES)('size %i: get and set across the whole width, range errors outside', (size) => {
    const bits = 8 * size;
    const h = new Head(0, size);
    for (let i = 0; i < bits; i++) {
      if (i === 1) continue;
      h.set(i, true);
      expect(h.get(i)).toBe(true);
      expect(h.get(i - bits)).toBe(true);
    }
    expect(h.value).toBe(headMaskAll(size) - headBit(size, 1));
    h.set(-1, false);
    expect(h.value % 2).toBe(0);
    expect(() => h.get(bits)).toThrow(RangeError);
    expect(() => h.get(-bits - 1)).toThrow(RangeError);
    expect(() => h.set(bits, 1)).toThrow(RangeError);
  });

  it.each(SIZES)('size %i: a job may not set the reset bit, but may clear it', (size) => {
    const h = new Head(headBit(size, 1), size);
    expect(() => h.set(1, 1)).toThrow(MarveloError);
    expect(() => h.set(-(8 * size - 1), true)).toThrow(MarveloError);
    try {
      h.set(1, true);
    } catch (e) {
      expect((e as MarveloError).code).toBe('MRV_JOB_API');
      expect((e as MarveloError).hint).toBeTruthy();
    }
    h.set(1, 0);
    expect(h.reset).toBe(false);
  });

  it.each(SIZES)('size %i: shifts and invert stay within the size', (size) => {
    const all = headMaskAll(size);
    const h = new Head(all, size);
    expect(h.shl(1).value).toBe(all - 1);
    expect(h.shl(8 * size).value).toBe(0);
    expect(h.shl(40).value).toBe(0);
    expect(h.shr(1).value).toBe(Math.floor(all / 2));
    expect(h.shr(8 * size).value).toBe(0);
    expect(h.invert().value).toBe(0);
    expect(new Head(0, size).invert().value).toBe(all);
    expect(new Head(1, size).shl(8 * size - 1).value).toBe(headBit(size, 0));
    expect(() => h.shl(-1)).toThrow(RangeError);
  });

  it.each(SIZES)('size %i: and/or/xor take a number or a Head and keep the size', (size) => {
    const h = new Head(0b1010, size);
    expect(h.and(0b0110).value).toBe(0b0010);
    expect(h.or(new Head(0b0101, size)).value).toBe(0b1111);
    expect(h.xor(0b1111).value).toBe(0b0101);
    expect(h.or(-1).value).toBe(headMaskAll(size));
    expect(h.and(0b10).size).toBe(size);
  });

  it.each(SIZES)('size %i: bytes are big-endian and round-trip', (size) => {
    const bytes = Uint8Array.from({ length: size }, (_, i) => 0x80 | (i + 1));
    const h = new Head(bytes);
    expect(h.size).toBe(size);
    expect(h.toBytes()).toEqual(bytes);
    expect(h.corrupted).toBe(true);
    expect(new Head(h.value, size).equals(h)).toBe(true);
  });
});

describe('Head: construction and helpers', () => {
  it('defaults to a zero 1-byte head and converts to a number', () => {
    const h = new Head();
    expect(h.size).toBe(1);
    expect(+new Head(12, 1)).toBe(12);
    expect(h.equals(0)).toBe(true);
    expect(String(new Head(12, 1))).toBe('HEAD: 00001100');
  });

  it('refuses values and sizes that do not fit', () => {
    expect(() => new Head(256, 1)).toThrow(RangeError);
    expect(() => new Head(-1, 1)).toThrow(RangeError);
    expect(() => new Head(0, 0)).toThrow(RangeError);
    expect(() => new Head(0, HEAD_MAX_SIZE + 1)).toThrow(RangeError);
    expect(() => new Head(new Uint8Array(3), 2)).toThrow(RangeError);
    expect(() => new Head(12, 1).slice(0, 8, 0)).toThrow(RangeError);
  });

  it('grows and shrinks through every size', () => {
    const h = new Head(0xa5, 1);
    h.size = 4;
    expect(h.value).toBe(0xa5000000);
    h.size = 2;
    expect(h.value).toBe(0xa500);
    h.size = 3;
    expect(h.value).toBe(0xa50000);
    expect(() => (h.size = 5)).toThrow(RangeError);
  });

  it('resizeHead keeps the MSB-numbered bits in place', () => {
    expect(resizeHead(0x40, 1, 4)).toBe(0x40000000);
    expect(resizeHead(0xc0ffee00, 4, 1)).toBe(0xc0);
    expect(resizeHead(0x8001, 2, 3)).toBe(0x800100);
    expect(resizeHead(0x20, 1, 1)).toBe(0x20);
    expect(headMaskAll(4)).toBe(0xffffffff);
    expect(headBit(4, 0)).toBe(0x80000000);
  });
});
