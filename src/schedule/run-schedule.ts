/**
 * A network's schedule, driven for real: each fire is a recorded run (trigger `schedule`) started with
 * startRun; the pause state and the history live next to the run records (state.ts).
 */
import { resolve } from 'node:path';
import { loadNetwork } from '../config/load.js';
import { MarveloError } from '../errors.js';
import { startRun, type RunEvent, type RunHandle, type RunOptions } from '../api/run.js';
import { systemClock, type Clock } from './clock.js';
import { Scheduler, type ScheduledRun, type ScheduleEvent } from './scheduler.js';
import { appendHistory, isPaused, scheduleFilesOf, type ScheduleFiles } from './state.js';
import type { ScheduleSpec } from './spec.js';

export interface ScheduleOptions {
  /** Default: the system clock. */
  clock?: Clock;
  /** Folder of the run records (default: MARVELO_RUNS_DIR, else .marvelo/runs next to the network file). */
  runsDir?: string;
  /** Options of every run it starts (their record is always kept, with trigger `schedule`). */
  run?: Omit<RunOptions, 'record' | 'onEvent'>;
  onEvent?: (e: ScheduleEvent) => void;
  /** Every event of every run it starts. */
  onRunEvent?: (runId: string, e: RunEvent) => void;
}

export interface ScheduleHandle {
  readonly networkName: string;
  readonly spec: ScheduleSpec;
  readonly files: ScheduleFiles;
  readonly scheduler: Scheduler;
  /** No more fires; interrupts the runs it started; settles when they ended (Ctrl-C). */
  stop(): Promise<void>;
  /** Kills the runs it started at once (a second Ctrl-C). */
  kill(): void;
  /** Settles once no fire is left (past `ends`) or after stop(), when every run it started ended. */
  readonly finished: Promise<void>;
}

/** The network's name and schedule; MRV_CONFIG_SCHEDULE when it has none. */
export async function scheduleOf(file: string): Promise<{ name: string; spec: ScheduleSpec }> {
  const { network } = await loadNetwork(file, { inspect: false });
  if (network.schedule === undefined) {
    throw new MarveloError('MRV_CONFIG_SCHEDULE', `${file} has no schedule`, { hint: 'add e.g. schedule: { cron: "0 * * * *" } to the network file (README: Schedules)' });
  }
  return { name: network.name, spec: network.schedule };
}

/** Loads the schedule once (edit it: restart the scheduler); each fire loads the network file afresh. */
export async function startSchedule(file: string, opts: ScheduleOptions = {}): Promise<ScheduleHandle> {
  const path = resolve(file);
  const { name, spec } = await scheduleOf(path);
  const files = scheduleFilesOf(path, name, opts.runsDir);
  const handles = new Map<string, RunHandle>();
  const start = (): ScheduledRun => {
    const handle = startRun(path, {
      ...opts.run,
      record: { dir: opts.runsDir, trigger: 'schedule' },
      onEvent: (e) => opts.onRunEvent?.(handle.runId, e),
    });
    handles.set(handle.runId, handle);
    const done = handle.done.then(
      (r) => ({ ok: r.ok, exitCode: r.exitCode }),
      // Interrupted while loading, or failed before it ran: its record says why.
      () => ({ ok: false, exitCode: 1 }),
    );
    void done.then(() => handles.delete(handle.runId));
    return { runId: handle.runId, done, interrupt: () => handle.interrupt() };
  };
  const scheduler = new Scheduler({
    spec,
    clock: opts.clock ?? systemClock,
    start,
    isPaused: () => isPaused(files.state),
    onEvent: (e) => {
      opts.onEvent?.(e);
      // The waits are not history: one line per fire and per outcome is enough.
      if (e.type !== 'schedule.waiting') appendHistory(files.history, e);
    },
  });
  scheduler.start();
  return {
    networkName: name,
    spec,
    files,
    scheduler,
    stop: () => scheduler.stop(),
    kill: () => {
      void scheduler.stop();
      for (const h of handles.values()) h.kill();
    },
    finished: scheduler.finished,
  };
}
