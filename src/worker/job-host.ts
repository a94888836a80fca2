import type { ScriptJob } from '../jobs/script-job.js';
import type { HostContext } from './host.js';
import { RoundDriver } from './round-driver.js';
import { SourceDriver } from './source-driver.js';

/**
 * Drives one ScriptJob in the worker's process: a source through its SourceDriver, a connector or
 * sink through the rounds it builds on (RoundDriver), both out through the OutputFanOut, and the
 * shared end (HostLifecycle).
 */
export class JobHost extends RoundDriver {
  private readonly source: SourceDriver | undefined;

  constructor(job: ScriptJob, ctx: HostContext) {
    super(job, ctx);
    this.source = this.isSource ? new SourceDriver(this, job, this.host, this.out, this.timed) : undefined;
  }

  start(): void {
    this.started = true;
    if (this.source !== undefined) this.runSource(this.source).catch((err: unknown) => this.fail(err, 'run'));
    else this.pump();
  }

  /** Credit arrived or a consumer closed. */
  onOutputChange(): void {
    this.budgetChanged();
    const closed = this.outputsChanged();
    if (this.source !== undefined) this.source.outputChanged(closed);
    else this.pump();
  }

  /** A restarted source: its stream goes on after block `sqn` (the job's seek(sqn) was called). */
  resumeAfter(sqn: number): void {
    this.source?.resumeAfter(sqn);
  }

  dispose(): void {}

  protected teardown(): void | Promise<void> {
    return this.job.teardown();
  }

  private async runSource(source: SourceDriver): Promise<void> {
    await source.run();
    await this.finish();
  }
}
