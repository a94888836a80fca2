import { describe, expect, it } from 'vitest';
import { JobWatch } from '../../src/control/job-watch.js';

/** Times are explicit numbers: no clock is read. */
describe('JobWatch', () => {
  const METRICS = 500;

  it('a worker that reports on time and awaits nothing is never overdue', () => {
    const w = new JobWatch(METRICS);
    w.watch('a', 1000, 0);
    for (let t = 500; t <= 10_000; t += 500) {
      w.heard('a', t);
      w.metrics('a', null, t);
      expect(w.overdue(t + 499)).toEqual([]);
    }
  });

  it('silence counts as busy time once it exceeds the metrics interval plus the timeout', () => {
    const w = new JobWatch(METRICS);
    w.watch('a', 1000, 0);
    w.heard('a', 100);
    expect(w.overdue(100 + METRICS + 1000)).toEqual([]);
    expect(w.overdue(100 + METRICS + 1001)).toEqual([{ job: 'a', timeoutMs: 1000, busyMs: 1001, how: 'silent' }]);
    expect(w.overdue(10_000)).toEqual([]); // reported once
  });

  it('an await that does not settle is timed from what the worker reported, plus the time since', () => {
    const w = new JobWatch(METRICS);
    w.watch('a', 700, 0);
    w.heard('a', 500);
    w.metrics('a', 400, 500); // awaiting since 100
    expect(w.overdue(800)).toEqual([]);
    expect(w.overdue(801)).toEqual([{ job: 'a', timeoutMs: 700, busyMs: 701, how: 'awaiting' }]);
  });

  it('an await that settled in time starts no clock; a job forgotten or without timeout is not watched', () => {
    const w = new JobWatch(METRICS);
    w.watch('a', 1000, 0);
    w.watch('b', 1000, 0);
    w.heard('a', 500);
    w.metrics('a', 900, 500);
    w.heard('a', 1000);
    w.metrics('a', null, 1000);
    w.forget('b');
    w.heard('other', 0);
    expect(w.overdue(1400)).toEqual([]);
  });

  it('silence while the client did not read the workers does not count', () => {
    const w = new JobWatch(METRICS);
    w.watch('a', 1000, 0);
    w.resumed(5000);
    expect(w.overdue(5000 + METRICS + 1000)).toEqual([]);
  });

  it('shortest: the smallest timeout set, or undefined', () => {
    expect(JobWatch.shortest([undefined, 3000, 500])).toBe(500);
    expect(JobWatch.shortest([undefined])).toBeUndefined();
  });
});
