import type { LogSample } from '../control/messages.js';
import type { RunMeter } from './run-meter.js';

/** What a sample reads from the worker. */
export interface SampleSource {
  blocksIn(): number;
  blocksOut(): number;
  rounds(): number;
  /** The job's child process, if it has one (executable jobs). */
  childPid(): number | undefined;
}

/** A last sample may not hold up a finishing worker longer than this. */
const FINAL_SAMPLE_MS = 1000;

/**
 * Samples a worker marked `logging: true` every interval (pidusage: CPU % and RSS of the worker and of
 * its child), and once more when the job finishes, covering the partial interval.
 */
export class Sampler {
  private timer: NodeJS.Timeout | undefined;
  private since = performance.now();
  private inFlight: Promise<void> = Promise.resolve();
  private busy = false;
  /** The child measured last: pidusage's first reading of a new process has no baseline for CPU. */
  private lastChild: number | undefined;
  private stopped = false;

  constructor(
    private readonly job: string,
    private readonly intervalMs: number,
    private readonly source: SampleSource,
    private readonly meter: RunMeter,
    private readonly send: (sample: LogSample) => void,
  ) {}

  start(): void {
    // pidusage measures CPU since its previous call for a pid: this first call sets the baseline.
    this.track(usage(process.pid).then(() => {}));
    this.since = performance.now();
    this.timer = setInterval(() => this.sampleNow(), this.intervalMs);
    this.timer.unref();
  }

  /** The last sample, then no more. */
  async final(): Promise<void> {
    if (this.stopped || this.timer === undefined) return;
    this.stop();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((r) => (timer = setTimeout(r, FINAL_SAMPLE_MS)));
    await Promise.race([this.inFlight.then(() => this.sample()), timeout]);
    clearTimeout(timer);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
  }

  private sampleNow(): void {
    // One sample at a time: a slow /proc read skips a tick rather than piling up.
    if (this.busy || this.stopped) return;
    this.track(this.sample());
  }

  private track(p: Promise<void>): void {
    this.busy = true;
    this.inFlight = p.catch(() => {}).finally(() => (this.busy = false));
  }

  private async sample(): Promise<void> {
    const now = performance.now();
    const intervalMs = now - this.since;
    this.since = now;
    const runMs = this.meter.take();
    const childPid = this.source.childPid();
    const childIsNew = childPid !== this.lastChild;
    this.lastChild = childPid;
    const [own, child] = await Promise.all([usage(process.pid), childPid === undefined ? undefined : usage(childPid)]);
    this.send({
      time: new Date().toISOString(),
      job: this.job,
      pid: process.pid,
      cpu_percent: round(own?.cpu ?? 0, 1),
      rss_bytes: own?.memory ?? process.memoryUsage.rss(),
      blocks_in: this.source.blocksIn(),
      blocks_out: this.source.blocksOut(),
      rounds: this.source.rounds(),
      run_ms: round(runMs, 3),
      interval_ms: round(intervalMs, 1),
      child_pid: child ? childPid! : null,
      child_cpu_percent: child && !childIsNew ? round(child.cpu, 1) : null,
      child_rss_bytes: child ? child.memory : null,
    });
  }
}

let pidusage: typeof import('pidusage') | undefined;

async function usage(pid: number): Promise<{ cpu: number; memory: number } | undefined> {
  try {
    // Loaded on first use: only workers of jobs marked `logging: true` pay for it.
    pidusage ??= (await import('pidusage')).default;
    return await pidusage(pid);
  } catch {
    return undefined; // the process is gone
  }
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
