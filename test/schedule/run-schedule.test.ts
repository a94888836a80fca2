import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../src/api/records/types.js';
import { startSchedule } from '../../src/schedule/run-schedule.js';
import type { ScheduleEvent } from '../../src/schedule/scheduler.js';
import { writeScheduleState } from '../../src/schedule/state.js';
import { networkCopy } from '../records/network-copy.js';
import { liveProcesses } from '../helpers/process-table.js';
import { FakeClock } from './fake-clock.js';

/** chain3 (100 values through three forwarders) with a schedule, in a folder of its own. */
function scheduledNetwork(schedule: string, name = 'chain3.yaml') {
  const net = networkCopy(name);
  writeFileSync(net.file, `${readFileSync(net.file, 'utf8')}schedule: ${schedule}\n`);
  return net;
}

describe('schedule - real runs started by the scheduler on a controllable clock', () => {
  it('two fires at once start two real runs, each recorded with trigger schedule; the history keeps the fires', async () => {
    const net = scheduledNetwork('{ cron: "*/5 * * * *", concurrency: allow, starting_deadline: 1m }');
    const clock = new FakeClock(Date.parse('2024-01-01T00:03:00Z'));
    const events: ScheduleEvent[] = [];
    let ended!: () => void;
    const bothEnded = new Promise<void>((r) => (ended = r));
    const handle = await startSchedule(net.file, {
      clock,
      run: { cwd: net.dir },
      onEvent: (e) => {
        events.push(e);
        if (events.filter((x) => x.type === 'schedule.run-ended').length === 2) ended();
      },
    });
    clock.set('2024-01-01T00:05:00Z');
    await handle.scheduler.idle();
    clock.set('2024-01-01T00:10:00Z'); // the first run is still going: concurrency allow starts a second
    await handle.scheduler.idle();
    expect(handle.scheduler.activeRuns()).toHaveLength(2);
    await bothEnded;

    const fired = events.filter((e): e is Extract<ScheduleEvent, { type: 'schedule.fired' }> => e.type === 'schedule.fired');
    expect(fired.map((e) => e.scheduledFor)).toEqual(['2024-01-01T00:05:00.000Z', '2024-01-01T00:10:00.000Z']);
    expect(readdirSync(net.runs).sort()).toEqual(fired.map((e) => e.runId).sort());
    for (const { runId } of fired) {
      const record = JSON.parse(readFileSync(join(net.runs, runId, 'run.json'), 'utf8')) as RunRecord;
      expect(record).toMatchObject({ id: runId, trigger: 'schedule', status: 'succeeded' });
      expect(readFileSync(join(net.runs, runId, 'logs', 'sink.log'), 'utf8').split('\n')).toHaveLength(101);
    }
    const history = readFileSync(join(net.dir, '.marvelo', 'schedule', 'chain3.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as ScheduleEvent);
    expect(history.filter((e) => e.type === 'schedule.fired')).toEqual(fired);
    await handle.stop();
  });

  it('a paused schedule (the state file next to the runs) starts nothing; stop() leaves nothing running', async () => {
    const net = scheduledNetwork('{ cron: "* * * * *" }');
    const clock = new FakeClock(Date.parse('2024-01-01T00:00:00Z'));
    const handle = await startSchedule(net.file, { clock, run: { cwd: net.dir } });
    expect(handle.files.state).toBe(join(net.dir, '.marvelo', 'schedule', 'chain3.json'));
    writeScheduleState(handle.files.state, net.file, true);
    clock.set('2024-01-01T00:01:00Z');
    await handle.scheduler.idle();
    expect(existsSync(net.runs)).toBe(false);
    writeScheduleState(handle.files.state, net.file, false);
    clock.set('2024-01-01T00:02:00Z');
    await handle.scheduler.idle();
    expect(handle.scheduler.activeRuns()).toHaveLength(1);
    await handle.stop(); // interrupts the run it started and waits for its end
    expect(handle.scheduler.activeRuns()).toEqual([]);
    const [id] = readdirSync(net.runs);
    const record = JSON.parse(readFileSync(join(net.runs, id!, 'run.json'), 'utf8')) as RunRecord;
    expect(record.trigger).toBe('schedule');
    expect(['cancelled', 'succeeded']).toContain(record.status);
  });

  it('replace, then stop() (Ctrl-C): the replaced run and the last run are cancelled, no worker is left', async () => {
    const net = scheduledNetwork('{ cron: "* * * * *", concurrency: replace }', 'endless.yaml');
    const clock = new FakeClock(Date.parse('2024-01-01T00:00:00Z'));
    const pids = new Set<number>();
    const waiters = new Map<string, () => void>();
    const handle = await startSchedule(net.file, {
      clock,
      run: { cwd: net.dir },
      onRunEvent: (runId, e) => {
        if (e.type === 'started') for (const w of e.workers) if (w.pid !== undefined) pids.add(w.pid);
        if (e.type === 'log' && e.job === 'sink') waiters.get(runId)?.();
      },
    });
    const printing = (runId: string) => new Promise<void>((r) => waiters.set(runId, r));
    clock.set('2024-01-01T00:01:00Z');
    await handle.scheduler.idle();
    const [first] = handle.scheduler.activeRuns();
    await printing(first!);
    clock.set('2024-01-01T00:02:00Z');
    await handle.scheduler.idle(); // the first run was stopped and has ended; the second started
    const [second] = handle.scheduler.activeRuns();
    expect(second).not.toBe(first);
    await printing(second!);
    await handle.stop();
    for (const id of [first!, second!]) {
      const record = JSON.parse(readFileSync(join(net.runs, id, 'run.json'), 'utf8')) as RunRecord;
      expect(record).toMatchObject({ trigger: 'schedule', status: 'cancelled' });
    }
    expect(pids.size).toBeGreaterThanOrEqual(6);
    expect(liveProcesses((pid) => pids.has(pid))).toEqual([]);
  });
});
