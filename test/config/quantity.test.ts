import { describe, expect, it } from 'vitest';
import { formatBytes, formatCpu, parseBytes, parseCpu } from '../../src/config/quantity.js';

const ok = (value: number) => ({ ok: true, value });

describe('quantities - CPU in millicores', () => {
  it.each([
    ['100m', 100], ['0.1', 100], ['1', 1000], ['2.5', 2500], [0.25, 250], [1.5, 1500], [2, 2000],
    ['5e-3', 5], ['500000u', 500], ['.5', 500], ['1.', 1000], ['+2', 2000], ['0', 0],
  ] as const)('%s -> %d', (input, millis) => {
    expect(parseCpu(input)).toEqual(ok(millis));
  });

  it.each(['0.5m', '1e-4', '100n'])('refuses %s: finer than 1m', (input) => {
    expect(parseCpu(input)).toEqual({ ok: false, reason: expect.stringContaining('finer than 1m') });
  });
});

describe('quantities - memory in bytes', () => {
  it.each([
    ['512Mi', 536870912], ['4Gi', 4294967296], ['129M', 129000000], ['129e6', 129000000], ['123Mi', 128974848],
    ['128974848000m', 128974848], ['1.5Gi', 1610612736], ['0.5Mi', 524288], ['.5Gi', 536870912], ['1.G', 1000000000],
    ['1k', 1000], ['1E3', 1000], ['1G', 1e9], [1048576, 1048576], ['0', 0], ['0Mi', 0],
  ] as const)('%s -> %d', (input, bytes) => {
    expect(parseBytes(input)).toEqual(ok(bytes));
  });

  it.each(['400m', '0.1Ki'])('refuses %s: not whole bytes', (input) => {
    expect(parseBytes(input)).toEqual({ ok: false, reason: expect.stringContaining('whole number of bytes') });
  });

  it('refuses what a JavaScript number cannot hold exactly (above 8 PiB)', () => {
    expect(parseBytes('7Ei')).toEqual({ ok: false, reason: expect.stringContaining('too large') });
    expect(parseBytes('1e19')).toEqual({ ok: false, reason: expect.stringContaining('too large') });
    expect(parseBytes('8Pi')).toEqual({ ok: false, reason: expect.stringContaining('too large') });
    expect(parseBytes('7Pi')).toEqual(ok(7 * 2 ** 50));
  });

  it.each([
    '1K', '1Mb', '1MB', '1mi', '1gi', '1e', '1e3m', '1.5.0', '1.1.M', 'Gi', '1 Gi', '1_000', '0x10', '1,5Gi', 'NaN',
    'Infinity', '', ' 1', '1 ',
  ])('refuses %j: not a quantity', (input) => {
    expect(parseBytes(input)).toEqual({ ok: false, reason: 'not a quantity' });
    expect(parseCpu(input)).toEqual({ ok: false, reason: 'not a quantity' });
  });

  it.each(['-1', '-100m'])('refuses %s: negative', (input) => {
    expect(parseBytes(input)).toEqual({ ok: false, reason: 'a quantity cannot be negative' });
  });
});

describe('quantities - shown back', () => {
  it('in the largest unit that divides them', () => {
    expect([formatCpu(2000), formatCpu(500), formatCpu(1500), formatCpu(0)]).toEqual(['2', '500m', '1500m', '0']);
    expect([formatBytes(2 * 2 ** 30), formatBytes(512 * 2 ** 20), formatBytes(1e9), formatBytes(1001), formatBytes(0)]).toEqual(['2Gi', '512Mi', '1G', '1001', '0']);
  });
});
