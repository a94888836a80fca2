import { describe, expect, it } from 'vitest';
import { Scheduler, type ScheduleEvent } from '../../src/schedule/scheduler.js';
import type { ScheduleSpec } from '../../src/schedule/spec.js';
import { FakeClock, FakeRun } from './fake-clock.js';

const T0 = '2024-01-01T00:00:00Z';

/** A scheduler on a fake clock whose runs are FakeRuns the test ends itself. */
function harness(spec: Partial<ScheduleSpec> = {}, start = T0) {
  const clock = new FakeClock(Date.parse(start));
  const runs: FakeRun[] = [];
  const events: ScheduleEvent[] = [];
  let paused = false;
  const scheduler = new Scheduler({
    spec: { cron: '* * * * *', timezone: 'UTC', concurrency: 'forbid', ...spec },
    clock,
    start: () => {
      const run = new FakeRun(`run${runs.length + 1}`);
      runs.push(run);
      return run;
    },
    isPaused: () => paused,
    onEvent: (e) => events.push(e),
  });
  scheduler.start();
  /** Moves the clock and waits until the scheduler handled what came due. */
  const at = async (iso: string) => {
    clock.set(iso);
    await scheduler.idle();
  };
  const of = <K extends ScheduleEvent['type']>(type: K) => events.filter((e): e is Extract<ScheduleEvent, { type: K }> => e.type === type);
  return { clock, runs, events, scheduler, at, of, pause: (p: boolean) => (paused = p) };
}

describe('schedule - the scheduler on a controllable clock', () => {
  it('fires at each matching minute strictly after it started, one run per fire', async () => {
    const h = harness({ concurrency: 'allow' });
    expect(h.of('schedule.waiting')[0]).toMatchObject({ next: '2024-01-01T00:01:00.000Z' });
    await h.at('2024-01-01T00:00:59Z');
    expect(h.runs).toHaveLength(0);
    await h.at('2024-01-01T00:01:00Z');
    await h.at('2024-01-01T00:02:00Z');
    expect(h.of('schedule.fired').map((e) => [e.scheduledFor, e.lateMs, e.runId])).toEqual([
      ['2024-01-01T00:01:00.000Z', 0, 'run1'],
      ['2024-01-01T00:02:00.000Z', 0, 'run2'],
    ]);
  });

  it('late within starting_deadline: one run at the closest time after, older fires collapsed as missed', async () => {
    const h = harness({ startingDeadlineMs: 30_000 });
    await h.at('2024-01-01T00:03:20Z'); // asleep through 00:01, 00:02, 00:03
    expect(h.of('schedule.fired')).toEqual([{ type: 'schedule.fired', at: '2024-01-01T00:03:20.000Z', scheduledFor: '2024-01-01T00:03:00.000Z', lateMs: 20_000, runId: 'run1' }]);
    expect(h.of('schedule.missed')).toEqual([
      { type: 'schedule.missed', at: '2024-01-01T00:03:20.000Z', first: '2024-01-01T00:01:00.000Z', last: '2024-01-01T00:02:00.000Z', count: 2, reason: 'collapsed', atLeast: false },
    ]);
    expect(h.runs).toHaveLength(1);
  });

  it('late beyond starting_deadline: missed (one record), no run, and the next fire runs on time', async () => {
    const h = harness({ startingDeadlineMs: 30_000 });
    await h.at('2024-01-01T00:03:40Z');
    expect(h.runs).toHaveLength(0);
    expect(h.of('schedule.missed')).toMatchObject([{ first: '2024-01-01T00:01:00.000Z', last: '2024-01-01T00:03:00.000Z', count: 3, reason: 'deadline' }]);
    await h.at('2024-01-01T00:04:00Z');
    expect(h.of('schedule.fired')).toMatchObject([{ scheduledFor: '2024-01-01T00:04:00.000Z', lateMs: 0 }]);
  });

  it('forbid: a fire while the previous run is active is skipped with an event; the next one after it ended runs', async () => {
    const h = harness({ concurrency: 'forbid' });
    await h.at('2024-01-01T00:01:00Z');
    await h.at('2024-01-01T00:02:00Z');
    expect(h.runs).toHaveLength(1);
    expect(h.of('schedule.skipped')).toEqual([{ type: 'schedule.skipped', at: '2024-01-01T00:02:00.000Z', scheduledFor: '2024-01-01T00:02:00.000Z', reason: 'forbid', count: 1, activeRuns: ['run1'] }]);
    h.runs[0]!.finish();
    await h.runs[0]!.done;
    await Promise.resolve();
    expect(h.of('schedule.run-ended')).toMatchObject([{ runId: 'run1', ok: true, exitCode: 0 }]);
    await h.at('2024-01-01T00:03:00Z');
    expect(h.runs).toHaveLength(2);
    expect(h.runs[0]!.interrupted).toBe(false);
  });

  it('allow: runs overlap', async () => {
    const h = harness({ concurrency: 'allow' });
    await h.at('2024-01-01T00:01:00Z');
    await h.at('2024-01-01T00:02:00Z');
    expect(h.scheduler.activeRuns()).toEqual(['run1', 'run2']);
    expect(h.runs.map((r) => r.interrupted)).toEqual([false, false]);
  });

  it('replace: the running run is interrupted and has ended before the new one starts', async () => {
    const h = harness({ concurrency: 'replace' });
    await h.at('2024-01-01T00:01:00Z');
    await h.at('2024-01-01T00:02:00Z');
    expect(h.runs[0]!.interrupted).toBe(true);
    expect(h.events.map((e) => e.type).slice(-4)).toEqual(['schedule.replacing', 'schedule.run-ended', 'schedule.fired', 'schedule.waiting']);
    expect(h.of('schedule.replacing')).toMatchObject([{ runIds: ['run1'] }]);
    expect(h.scheduler.activeRuns()).toEqual(['run2']);
  });

  it('paused: fires are skipped (never backfilled on resume), running runs are not touched', async () => {
    const h = harness({ concurrency: 'allow' });
    await h.at('2024-01-01T00:01:00Z');
    h.pause(true);
    await h.at('2024-01-01T00:02:00Z');
    await h.at('2024-01-01T00:03:00Z');
    expect(h.of('schedule.skipped').map((e) => [e.reason, e.scheduledFor])).toEqual([
      ['paused', '2024-01-01T00:02:00.000Z'],
      ['paused', '2024-01-01T00:03:00.000Z'],
    ]);
    expect(h.runs[0]!.interrupted).toBe(false);
    h.pause(false);
    await h.at('2024-01-01T00:03:30Z');
    expect(h.runs).toHaveLength(1);
    await h.at('2024-01-01T00:04:00Z');
    expect(h.of('schedule.fired').map((e) => e.scheduledFor)).toEqual(['2024-01-01T00:01:00.000Z', '2024-01-01T00:04:00.000Z']);
  });

  it('waits for starts, and ends after the last fire before ends once its runs ended', async () => {
    const h = harness({ startsAt: Date.parse('2024-01-01T00:10:00Z'), endsAt: Date.parse('2024-01-01T00:12:00Z'), concurrency: 'allow' });
    expect(h.of('schedule.waiting')[0]).toMatchObject({ next: '2024-01-01T00:10:00.000Z' });
    await h.at('2024-01-01T00:10:00Z');
    await h.at('2024-01-01T00:11:00Z');
    expect(h.of('schedule.ended')).toMatchObject([{ reason: 'ends' }]);
    expect(h.clock.pending()).toBe(0);
    let finished = false;
    void h.scheduler.finished.then(() => (finished = true));
    h.runs[0]!.finish();
    await h.runs[0]!.done;
    await new Promise((r) => setImmediate(r));
    expect(finished).toBe(false); // run2 still goes
    h.runs[1]!.finish(false);
    await h.scheduler.finished;
    expect(h.runs).toHaveLength(2);
  });

  it('stop(): no more fires, every run it started is interrupted, settles when they ended', async () => {
    const h = harness({ concurrency: 'allow' });
    await h.at('2024-01-01T00:01:00Z');
    await h.at('2024-01-01T00:02:00Z');
    await h.scheduler.stop();
    expect(h.runs.map((r) => r.interrupted)).toEqual([true, true]);
    expect(h.clock.pending()).toBe(0);
    await h.at('2024-01-01T00:05:00Z');
    expect(h.runs).toHaveLength(2);
    expect(h.of('schedule.ended')).toMatchObject([{ reason: 'stopped' }]);
  });

  it('a failure while handling a fire is reported, and the next fire still runs', async () => {
    const clock = new FakeClock(Date.parse(T0));
    const events: ScheduleEvent[] = [];
    let calls = 0;
    const scheduler = new Scheduler({
      spec: { cron: '* * * * *', timezone: 'UTC', concurrency: 'allow' },
      clock,
      start: () => {
        calls++;
        if (calls === 1) throw new Error('disk full');
        return new FakeRun('run2');
      },
      isPaused: () => false,
      onEvent: (e) => events.push(e),
    });
    scheduler.start();
    clock.set('2024-01-01T00:01:00Z');
    await scheduler.idle();
    clock.set('2024-01-01T00:02:00Z');
    await scheduler.idle();
    expect(events.filter((e) => e.type === 'schedule.error')).toMatchObject([{ message: 'disk full' }]);
    expect(scheduler.activeRuns()).toEqual(['run2']);
  });
});
