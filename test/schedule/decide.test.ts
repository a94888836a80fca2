import { describe, expect, it } from 'vitest';
import { cronOf, nextFire } from '../../src/schedule/cron.js';
import { decide, dueFires, onConcurrency } from '../../src/schedule/decide.js';

const t = (hhmmss: string) => Date.parse(`2024-01-01T${hhmmss}Z`);
const everyMinute = cronOf('* * * * *', 'UTC');
const next = (after: number) => nextFire(everyMinute, after, {});

describe('schedule - the rules of a wake-up', () => {
  it('nothing is due before the next matching minute, and a fire at the reference instant is not due', () => {
    expect(dueFires(next, t('00:00:00'), t('00:00:59'))).toBeUndefined();
    expect(dueFires(next, t('00:01:00'), t('00:01:00'))).toBeUndefined();
    expect(dueFires(next, t('00:00:00'), t('00:01:00'))).toEqual({ first: t('00:01:00'), previous: undefined, latest: t('00:01:00'), count: 1, capped: false });
  });

  it('a fire on time starts a run', () => {
    const due = dueFires(next, t('00:00:00'), t('00:01:00'))!;
    expect(decide(due, t('00:01:00'), 30_000)).toEqual({ fire: { scheduledFor: t('00:01:00'), lateMs: 0 } });
  });

  it('a late fire within starting_deadline runs once, at the closest time after', () => {
    const due = dueFires(next, t('00:00:00'), t('00:01:20'))!;
    expect(decide(due, t('00:01:20'), 30_000)).toEqual({ fire: { scheduledFor: t('00:01:00'), lateMs: 20_000 } });
    expect(decide(due, t('00:01:20'), 20_000).fire?.lateMs).toBe(20_000); // the deadline itself is still in time
  });

  it('a fire later than starting_deadline is missed, and starts nothing', () => {
    const due = dueFires(next, t('00:00:00'), t('00:01:31'))!;
    expect(decide(due, t('00:01:31'), 30_000)).toEqual({ missed: { first: t('00:01:00'), last: t('00:01:00'), count: 1, reason: 'deadline', atLeast: false } });
  });

  it('fires missed while asleep are collapsed into one record, never backfilled: the latest runs', () => {
    const due = dueFires(next, t('00:00:00'), t('00:04:10'))!;
    expect(due).toMatchObject({ first: t('00:01:00'), previous: t('00:03:00'), latest: t('00:04:00'), count: 4 });
    expect(decide(due, t('00:04:10'), undefined)).toEqual({
      fire: { scheduledFor: t('00:04:00'), lateMs: 10_000 },
      missed: { first: t('00:01:00'), last: t('00:03:00'), count: 3, reason: 'collapsed', atLeast: false },
    });
    // Past the deadline, all of them are missed (one record).
    expect(decide(due, t('00:04:10'), 5_000)).toEqual({ missed: { first: t('00:01:00'), last: t('00:04:00'), count: 4, reason: 'deadline', atLeast: false } });
  });

  it('a very long sleep is counted up to a cap, and still finds the latest fire', () => {
    const due = dueFires(next, t('00:00:00'), t('10:00:30'), 100)!;
    expect(due).toMatchObject({ first: t('00:01:00'), previous: t('09:59:00'), latest: t('10:00:00'), count: 100, capped: true });
    expect(decide(due, t('10:00:30'), undefined).missed).toMatchObject({ atLeast: true, last: t('09:59:00') });
  });

  it('starts and ends bound the due fires', () => {
    const window = { startsAt: t('00:03:00'), endsAt: t('00:05:00') };
    const bounded = (after: number) => nextFire(everyMinute, after, window);
    expect(dueFires(bounded, t('00:00:00'), t('00:10:00'))).toMatchObject({ first: t('00:03:00'), latest: t('00:04:00'), count: 2 });
  });

  it('concurrency: forbid skips, allow starts, replace replaces while a run is active', () => {
    expect(['forbid', 'allow', 'replace'].map((p) => onConcurrency(p as 'forbid', 0))).toEqual(['start', 'start', 'start']);
    expect(['forbid', 'allow', 'replace'].map((p) => onConcurrency(p as 'forbid', 1))).toEqual(['skip', 'start', 'replace']);
  });
});
