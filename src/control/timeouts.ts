/**
 * The run's time limits, counting once every job started: the network's `timeout:` stops the run; a job's
 * own `timeout:` (timed by a JobWatch from its worker's reports and silence) kills its stuck worker.
 */
import type { Network } from '../config/types.js';
import { showDuration } from '../config/duration.js';
import { setDeadline } from './deadline.js';
import { JobWatch, type StuckJob } from './job-watch.js';
import type { JobFailure } from './messages.js';
import type { SupervisorEvent } from './supervisor.js';
import type { Worker } from './worker.js';

/** What the time limits need of the supervisor. */
export interface TimeoutHost {
  stopping(): boolean;
  /** The client's output is full: the workers are not read meanwhile. */
  outputHeld(): boolean;
  emit(e: SupervisorEvent): void;
  stopAll(): void;
  /** The job failed (its worker was killed): restarted or the run fails. */
  jobFailed(w: Worker, failure: JobFailure): void;
}

export class Timeouts {
  private ranOut: { timeoutMs: number } | undefined;
  /** The network's timeout, armed once every job started. */
  private deadline: { clear(): void } | undefined;
  /** Jobs with a `timeout:` of their own, timed from their workers' reports (and silence). */
  private watch: JobWatch | undefined;
  private watchTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly network: Network,
    private readonly workers: ReadonlyMap<string, Worker>,
    /** How often the workers report metrics (RunInfo.metricsMs): a job's timeout allows for the gap. */
    private readonly metricsMs: number,
    private readonly host: TimeoutHost,
  ) {}

  /** The network's `timeout:` ran out (and stopped the run). */
  get timedOut(): { timeoutMs: number } | undefined {
    return this.ranOut;
  }

  /** Every job started: the network's timeout and the jobs' own start counting now. */
  arm(): void {
    const runMs = this.network.timeoutMs;
    if (runMs !== undefined) this.deadline = setDeadline(runMs, () => this.timeOut(runMs));
    const shortest = JobWatch.shortest(this.network.jobs.map((j) => j.timeoutMs));
    if (shortest === undefined) return;
    this.watch = new JobWatch(this.metricsMs);
    const now = Date.now();
    for (const j of this.network.jobs) if (j.timeoutMs !== undefined) this.watch.watch(j.name, j.timeoutMs, now);
    // Metrics check too; the timer catches a worker that sends none (stuck in a synchronous loop).
    this.watchTimer = setInterval(() => this.checkJobTimeouts(), Math.min(this.metricsMs, Math.max(20, shortest / 4)));
  }

  /** The run is over: no more timing. */
  clear(): void {
    this.deadline?.clear();
    clearInterval(this.watchTimer);
  }

  /** A restarted job started again: its own timeout counts from now. */
  timeJob(job: string, timeoutMs: number): void {
    this.watch?.watch(job, timeoutMs, Date.now());
  }

  /** Any message of the job's worker: its event loop is running. */
  heard(job: string): void {
    this.watch?.heard(job, Date.now());
  }

  /** A metrics message of the job's worker (`busyMs`: how long it has been awaiting, null: it is not). */
  metrics(job: string, busyMs: number | null): void {
    if (this.watch) {
      this.watch.metrics(job, busyMs, Date.now());
      this.checkJobTimeouts();
    }
  }

  /** The job finished, failed or exited. */
  forget(job: string): void {
    this.watch?.forget(job);
  }

  /** The workers are read again after the client's output was full. */
  resumed(): void {
    this.watch?.resumed(Date.now());
  }

  private timeOut(timeoutMs: number): void {
    // Every job already finished (the run is ending by itself): nothing to time out.
    if (this.host.stopping() || [...this.workers.values()].every((w) => w.state === 'finished' || w.state === 'exited')) return;
    this.ranOut = { timeoutMs };
    this.host.emit({ type: 'timed-out', timeoutMs });
    this.host.stopAll();
  }

  private checkJobTimeouts(): void {
    // While the client's output is full, the workers are not read: their silence says nothing.
    if (this.watch === undefined || this.host.stopping() || this.host.outputHeld()) return;
    for (const stuck of this.watch.overdue(Date.now())) this.jobTimedOut(stuck);
  }

  /** A job's call took longer than its timeout: kill its worker (it may never return) and fail the run. */
  private jobTimedOut(stuck: StuckJob): void {
    const w = this.workers.get(stuck.job);
    if (w === undefined || w.state !== 'connected' || w.replaced) return;
    const source = this.network.jobs.find((j) => j.name === stuck.job)!.inputs.length === 0;
    const call = source ? 'the wait for its next value' : 'a run() call';
    // An awaited run() is counted when it returns its promise; a value when it comes.
    const rounds = w.stats?.rounds ?? 0;
    const where =
      stuck.how === 'silent'
        ? `its worker sent nothing for over ${showDuration(stuck.timeoutMs)}: stuck in a synchronous loop in run(), its event loop never returned`
        : source
          ? `value ${rounds + 1} did not come (an await that never settled)`
          : `run() of round ${rounds} returned a promise that did not settle`;
    w.handle.kill('SIGKILL');
    this.host.jobFailed(w, {
      message: `job '${stuck.job}' timed out: ${call} took longer than its timeout of ${showDuration(stuck.timeoutMs)}; ${where}`,
      stack: undefined,
      code: 'MRV_JOB_TIMEOUT',
      hint: "fix the loop or the await that does not end, or raise the job's timeout:",
      phase: 'run',
    });
  }
}
