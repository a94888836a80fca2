/**
 * Times each job's `timeout:` on the client, from what its worker reports: a worker stuck in a
 * synchronous loop sends nothing at all, so silence counts as busy time too, less the metrics interval
 * that separates two reports anyway (never more than the call really took).
 */

export interface StuckJob {
  job: string;
  timeoutMs: number;
  /** How long the call has been going, at least. */
  busyMs: number;
  /** 'silent': the worker sent nothing (its event loop never returned); 'awaiting': a promise never settled. */
  how: 'silent' | 'awaiting';
}

interface Watched {
  timeoutMs: number;
  /** When anything last came from the worker (its event loop ran). */
  heardAt: number;
  /** When the job started waiting, by the client's clock (0: not waiting). */
  awaitingSince: number;
}

export class JobWatch {
  private readonly jobs = new Map<string, Watched>();

  constructor(private readonly metricsMs: number) {}

  /** The shortest timeout watched, or undefined when no job has one. */
  static shortest(timeouts: (number | undefined)[]): number | undefined {
    const set = timeouts.filter((t): t is number => t !== undefined);
    return set.length === 0 ? undefined : Math.min(...set);
  }

  /** The job started: its calls are timed from now on. */
  watch(job: string, timeoutMs: number, now: number): void {
    this.jobs.set(job, { timeoutMs, heardAt: now, awaitingSince: 0 });
  }

  /** The job finished, failed or exited: no more timing. */
  forget(job: string): void {
    this.jobs.delete(job);
  }

  /** Any message of the worker: its event loop is running. */
  heard(job: string, now: number): void {
    const w = this.jobs.get(job);
    if (w) w.heardAt = now;
  }

  /** A metrics message: `busyMs` is how long the job has been awaiting (null: it is not). */
  metrics(job: string, busyMs: number | null, now: number): void {
    const w = this.jobs.get(job);
    if (w) w.awaitingSince = busyMs === null ? 0 : now - busyMs;
  }

  /** Reading the workers was paused (the client's output was full): their silence meant nothing. */
  resumed(now: number): void {
    for (const w of this.jobs.values()) w.heardAt = now;
  }

  /** Jobs past their timeout now; each is reported once (then forgotten). */
  overdue(now: number): StuckJob[] {
    const out: StuckJob[] = [];
    for (const [job, w] of this.jobs) {
      const silentMs = now - w.heardAt - this.metricsMs;
      const awaitingMs = w.awaitingSince === 0 ? 0 : now - w.awaitingSince;
      const busyMs = Math.max(silentMs, awaitingMs);
      if (busyMs > w.timeoutMs) {
        out.push({ job, timeoutMs: w.timeoutMs, busyMs, how: silentMs >= awaitingMs ? 'silent' : 'awaiting' });
        this.jobs.delete(job);
      }
    }
    return out;
  }
}
