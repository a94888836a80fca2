import { describe, expect, it } from 'vitest';
import type { OptionalSpec } from '../../src/config/types.js';
import { OptionalInput } from '../../src/sync/optional-input.js';

function optional(overrides: Partial<OptionalSpec> = {}): OptionalInput<number> {
  return new OptionalInput<number>({ default: -1, store: false, buffer: 8, drop: 'oldest', ...overrides });
}

describe('OptionalInput', () => {
  it('reads the default when nothing was ever queued, without blocking', () => {
    const input = optional();
    expect(input.read()).toBe(-1);
    expect(input.read()).toBe(-1);
    expect([input.received, input.queued, input.dropped]).toEqual([0, 0, 0]);
  });

  it('reads queued values in order, then falls back to the default without store', () => {
    const input = optional();
    [1, 2, 3].forEach((v) => input.push(v));
    expect(input.queued).toBe(3);
    expect([input.read(), input.read(), input.read(), input.read()]).toEqual([1, 2, 3, -1]);
    expect(input.queued).toBe(0);
  });

  it('with store, repeats the last value read once the queue is empty', () => {
    const input = optional({ store: true });
    expect(input.read()).toBe(-1);
    input.push(5);
    expect([input.read(), input.read(), input.read()]).toEqual([5, 5, 5]);
    input.push(6);
    input.push(7);
    expect([input.read(), input.read(), input.read()]).toEqual([6, 7, 7]);
  });

  it("a full buffer with drop 'oldest' loses the oldest value and keeps the new one", () => {
    const input = optional({ buffer: 3, drop: 'oldest' });
    [1, 2, 3, 4, 5].forEach((v) => input.push(v));
    expect([input.received, input.queued, input.dropped]).toEqual([5, 3, 2]);
    expect([input.read(), input.read(), input.read(), input.read()]).toEqual([3, 4, 5, -1]);
  });

  it("a full buffer with drop 'newest' loses only the new value (the original lost both)", () => {
    const input = optional({ buffer: 3, drop: 'newest' });
    [1, 2, 3, 4, 5].forEach((v) => input.push(v));
    expect([input.received, input.queued, input.dropped]).toEqual([5, 3, 2]);
    expect([input.read(), input.read(), input.read(), input.read()]).toEqual([1, 2, 3, -1]);
  });

  it('counts the SQNs it never received (dropped by the producer), up to the end of the stream', () => {
    const input = optional();
    input.push(1, 1);
    input.push(2, 2);
    input.push(5, 5);
    input.push(6, 6);
    expect(input.skipped).toBe(2);
    input.end(9);
    expect(input.skipped).toBe(5);
    expect(input.received).toBe(4);
  });

  it('a buffer of 1 keeps only the newest value with drop oldest', () => {
    const input = optional({ buffer: 1, store: true });
    [1, 2, 3].forEach((v) => input.push(v));
    expect([input.read(), input.read()]).toEqual([3, 3]);
    expect(input.dropped).toBe(2);
  });

  it('stays in order across wrap-around and growth of its ring', () => {
    const input = optional({ buffer: 100 });
    const read: number[] = [];
    let next = 0;
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 7; i++) input.push(next++);
      for (let i = 0; i < 5; i++) read.push(input.read());
    }
    while (input.queued > 0) read.push(input.read());
    expect(read).toEqual(Array.from({ length: next }, (_, i) => i));
    expect(input.dropped).toBe(0);
  });

  it('refuses a buffer below 1', () => {
    expect(() => optional({ buffer: 0 })).toThrow(RangeError);
    expect(() => optional({ buffer: 1.5 })).toThrow(RangeError);
  });
});
