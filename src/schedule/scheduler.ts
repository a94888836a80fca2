/**
 * The long-lived part of `marvelo schedule`: waits for each fire on an injectable clock, applies the
 * rules of decide.ts, the pause state and the concurrency policy, and starts runs through `start`.
 * It knows nothing of networks: a run is anything with an id, a `done` promise and `interrupt()`.
 */
import type { Cron } from 'croner';
import type { Clock } from './clock.js';
import { decide, dueFires, onConcurrency, type Missed } from './decide.js';
import { cronOf, nextFire } from './cron.js';
import type { ScheduleSpec } from './spec.js';

export interface ScheduledRun {
  readonly runId: string;
  /** Settles when the run ended, however it ended (never rejects). */
  readonly done: Promise<{ ok: boolean; exitCode: number }>;
  /** Stops the run as Ctrl-C does. */
  interrupt(): void;
}

/** Times are ISO 8601 UTC. */
export type ScheduleEvent =
  | { type: 'schedule.waiting'; at: string; next: string }
  | { type: 'schedule.fired'; at: string; scheduledFor: string; lateMs: number; runId: string }
  | { type: 'schedule.skipped'; at: string; scheduledFor: string; reason: 'paused' | 'forbid'; count: number; activeRuns: string[] }
  | { type: 'schedule.missed'; at: string; first: string; last: string; count: number; reason: Missed['reason']; atLeast: boolean }
  | { type: 'schedule.replacing'; at: string; runIds: string[] }
  | { type: 'schedule.run-ended'; at: string; runId: string; ok: boolean; exitCode: number }
  | { type: 'schedule.ended'; at: string; reason: 'ends' | 'stopped' }
  /** Something failed while handling a fire (the history could not be written...); the scheduler goes on. */
  | { type: 'schedule.error'; at: string; message: string };

export interface SchedulerOptions {
  spec: ScheduleSpec;
  clock: Clock;
  /** Starts one run for a fire. */
  start: (scheduledFor: number) => ScheduledRun;
  /** Read before each fire: a paused schedule skips its fires (running runs are never touched). */
  isPaused: () => boolean;
  onEvent: (e: ScheduleEvent) => void;
}

export class Scheduler {
  private readonly cron: Cron;
  private cursor = 0;
  private cancelTimer: (() => void) | undefined;
  private stopped = false;
  private readonly active = new Map<string, ScheduledRun>();
  private busy: Promise<void> = Promise.resolve();
  private resolveFinished!: () => void;
  /** Settles when no fire is left (past `ends`) or stop() was called, and every run it started ended. */
  readonly finished = new Promise<void>((r) => (this.resolveFinished = r));

  constructor(private readonly opts: SchedulerOptions) {
    this.cron = cronOf(opts.spec.cron, opts.spec.timezone);
  }

  /** Looks for fires strictly after now (a fire at this very instant is not run). */
  start(): void {
    this.cursor = this.opts.clock.now();
    this.arm();
  }

  /** Runs of this schedule still going. */
  activeRuns(): string[] {
    return [...this.active.keys()];
  }

  /** Settles once the current wake-up (its decisions and any replaced run's end) is handled. */
  idle(): Promise<void> {
    return this.busy;
  }

  /** No more fires; every run it started is interrupted; settles when they all ended. */
  async stop(): Promise<void> {
    if (this.stopped) return this.finished;
    this.stopped = true;
    this.cancelTimer?.();
    for (const run of this.active.values()) run.interrupt();
    this.emit({ type: 'schedule.ended', at: this.iso(this.opts.clock.now()), reason: 'stopped' });
    void this.endWhenIdle();
    return this.finished;
  }

  private next(after: number): number | undefined {
    return nextFire(this.cron, after, this.opts.spec);
  }

  private arm(): void {
    if (this.stopped) return;
    const now = this.opts.clock.now();
    const next = this.next(this.cursor);
    if (next === undefined) {
      this.stopped = true;
      this.emit({ type: 'schedule.ended', at: this.iso(now), reason: 'ends' });
      void this.endWhenIdle();
      return;
    }
    this.emit({ type: 'schedule.waiting', at: this.iso(now), next: this.iso(next) });
    this.cancelTimer = this.opts.clock.setTimer(next - now, () => {
      this.cancelTimer = undefined;
      this.busy = this.busy
        .then(() => this.wake())
        .catch((e: unknown) => this.report(e))
        .then(() => this.arm());
    });
  }

  /** Handles every fire due by now; the caller waits again afterwards. */
  private async wake(): Promise<void> {
    if (this.stopped) return;
    const now = this.opts.clock.now();
    const due = dueFires((t) => this.next(t), this.cursor, now);
    if (due === undefined) return; // woke early (a capped wait, or a clock that moved back)
    this.cursor = now;
    const at = this.iso(now);
    if (this.opts.isPaused()) {
      this.emit({ type: 'schedule.skipped', at, scheduledFor: this.iso(due.latest), reason: 'paused', count: due.count, activeRuns: this.activeRuns() });
      return;
    }
    const { fire, missed } = decide(due, now, this.opts.spec.startingDeadlineMs);
    if (missed) this.emit({ type: 'schedule.missed', at, first: this.iso(missed.first), last: this.iso(missed.last), count: missed.count, reason: missed.reason, atLeast: missed.atLeast });
    if (!fire) return;
    const action = onConcurrency(this.opts.spec.concurrency, this.active.size);
    if (action === 'skip') {
      this.emit({ type: 'schedule.skipped', at, scheduledFor: this.iso(fire.scheduledFor), reason: 'forbid', count: 1, activeRuns: this.activeRuns() });
      return;
    }
    if (action === 'replace') {
      const replaced = [...this.active.values()];
      this.emit({ type: 'schedule.replacing', at, runIds: replaced.map((r) => r.runId) });
      for (const run of replaced) run.interrupt();
      await Promise.all(replaced.map((r) => r.done));
      if (this.stopped) return;
    }
    const run = this.opts.start(fire.scheduledFor);
    this.active.set(run.runId, run);
    // lateMs counts to the moment the run starts (after a replaced run stopped).
    const startedAt = this.opts.clock.now();
    this.emit({ type: 'schedule.fired', at: this.iso(startedAt), scheduledFor: this.iso(fire.scheduledFor), lateMs: startedAt - fire.scheduledFor, runId: run.runId });
    void run.done.then((result) => {
      this.active.delete(run.runId);
      this.emit({ type: 'schedule.run-ended', at: this.iso(this.opts.clock.now()), runId: run.runId, ok: result.ok, exitCode: result.exitCode });
    });
  }

  private async endWhenIdle(): Promise<void> {
    await this.busy;
    await Promise.all([...this.active.values()].map((r) => r.done));
    // A run could have been started by the wake-up that was under way when stop() came.
    if (this.active.size > 0) return this.endWhenIdle();
    this.resolveFinished();
  }

  private report(e: unknown): void {
    try {
      this.emit({ type: 'schedule.error', at: this.iso(this.opts.clock.now()), message: e instanceof Error ? e.message : String(e) });
    } catch {
      // nowhere left to report it
    }
  }

  private emit(e: ScheduleEvent): void {
    this.opts.onEvent(e);
  }

  private iso(ms: number): string {
    return new Date(ms).toISOString();
  }
}
