import { describe, expect, it } from 'vitest';
import { RoundLog } from '../../src/worker/exec/round-log.js';

describe('executable jobs - the log pairing output blocks with rounds', () => {
  it('gives block k the SQN and head of round k, across growth and release', () => {
    const log = new RoundLog();
    for (let k = 1; k <= 200; k++) log.record(k, k % 7);
    expect([log.has(0), log.has(1), log.has(200), log.has(201)]).toEqual([false, true, true, false]);
    expect([log.sqn(150), log.head(150)]).toEqual([150, 150 % 7]);
    log.release(100);
    expect([log.has(100), log.has(101)]).toEqual([false, true]);
    for (let k = 201; k <= 400; k++) log.record(k === 201 ? 1 : k, 0); // a reset restarts the SQNs
    expect([log.sqn(199), log.sqn(201), log.sqn(400)]).toEqual([199, 1, 400]);
  });

  it('keeps at most 65536 rounds for an output that lags behind, dropping the oldest', () => {
    const log = new RoundLog();
    for (let k = 1; k <= 70_000; k++) log.record(k, 0);
    expect(log.has(70_000 - 65_536)).toBe(false);
    expect(log.has(70_000 - 65_535)).toBe(true);
    expect(log.sqn(70_000)).toBe(70_000);
  });
});
