/**
 * Restarts of jobs with `on_failure: restart`: after its back-off a failed job starts again, on its node
 * if that is alive, else where relocate() puts it. Keeps what the run's stats need of the workers that
 * restarts replaced, and the nodes whose connection was lost.
 */
import type { JobSpec, Network, PipeSpec, TransportKind } from '../config/types.js';
import { backoffMs } from '../config/retries.js';
import { MarveloError } from '../errors.js';
import type { Address } from '../wire/types.js';
import type { JobFailure, WorkerStats } from './messages.js';
import type { SupervisorEvent } from './supervisor.js';
import type { Worker } from './worker.js';
import { addStats } from './worker-stats.js';

/** Where a restarted job goes: its node if alive, else another of the `usable` ones (relocate()). */
export type RelocateJob = (job: JobSpec, nodeOf: ReadonlyMap<string, string>, lost: ReadonlySet<string>) => { node: string; why: string; transportOf: Map<string, TransportKind> };

/** What a restart needs of the supervisor. */
export interface RestartHost {
  stopping(): boolean;
  /** Launches a worker for the job on `node` (it replaces the job's current one) and sends it `init`. */
  launch(job: string, node: string, attempt: number): Promise<Worker>;
  inputAddresses(job: string): Record<string, Address>;
  addressOf(producer: Worker, pipe: PipeSpec): Address | undefined;
  /** Resolves once `cond` holds or the run stops. */
  until(cond: () => boolean): Promise<void>;
  /** Calls `check` at the next wake-up (any worker's message or exit, or the run stopping). */
  onWake(check: () => void): void;
  wake(): void;
  emit(e: SupervisorEvent): void;
  /** The run fails. */
  fail(job: string, failure: JobFailure): void;
  /** The job started again: its own timeout counts from now. */
  timeJob(job: string, timeoutMs: number): void;
}

export class Restarts {
  /** Nodes whose connection was lost: a restart goes elsewhere. */
  private readonly lostNodes = new Set<string>();
  /** Restarts under way (back-off, launch, re-wiring): the run is not over while one is. */
  private restarting = 0;
  /** Counters of the earlier workers of restarted jobs, added to the current worker's. */
  private readonly earlierStats = new Map<string, WorkerStats>();
  /** Restarted jobs with an earlier worker that never reported its final counters (killed, lost). */
  private readonly lostCounts = new Set<string>();

  constructor(
    private readonly network: Network,
    private readonly workers: ReadonlyMap<string, Worker>,
    /** Where each job runs now: the plan's, until a restart moves a job. */
    private readonly nodeOf: Map<string, string>,
    private readonly transportOf: Map<string, TransportKind>,
    private readonly relocateJob: RelocateJob | undefined,
    private readonly host: RestartHost,
  ) {}

  /** Restarts under way. */
  get underWay(): number {
    return this.restarting;
  }

  /** The connection to `node` was lost. */
  nodeLost(node: string): void {
    this.lostNodes.add(node);
  }

  /** The job's counters over all its workers: the earlier ones' added to `current`'s. */
  statsOf(job: string, current: WorkerStats | undefined): WorkerStats | undefined {
    const earlier = this.earlierStats.get(job);
    return earlier && current ? addStats(earlier, current) : (current ?? earlier);
  }

  /** An earlier worker of the job never reported its final counters. */
  countsLost(job: string): boolean {
    return this.lostCounts.has(job);
  }

  /** A running job failed: it is restarted when its policy allows another attempt, else the run fails. */
  jobFailed(w: Worker, failure: JobFailure): void {
    const spec = this.network.jobs.find((j) => j.name === w.job)!;
    if (spec.onFailure !== 'restart' || this.relocateJob === undefined) {
      this.host.fail(w.job, failure);
      return;
    }
    if (w.attempt >= spec.maxRetries) {
      const tries = spec.maxRetries === 0 ? 'it may not be restarted (max_retries: 0)' : `it was restarted ${spec.maxRetries} time(s), as max_retries allows`;
      this.host.fail(w.job, {
        ...failure,
        message: `job '${w.job}' failed on node ${w.handle.node} again and ${tries}: ${failure.message}`,
        code: 'MRV_JOB_RESTARTS',
        hint: `fix the cause (marvelo runs show last lists every failure), or raise the job's max_retries`,
      });
      return;
    }
    void this.restart(w, spec, failure, this.relocateJob);
  }

  /**
   * Starts a failed job again after its back-off: on its node if that is alive, else where the
   * placement rules say; its input producers replay what it had not processed, its consumers dial it.
   */
  private async restart(old: Worker, spec: JobSpec, failure: JobFailure, relocateJob: RelocateJob): Promise<void> {
    const host = this.host;
    old.replaced = true;
    this.restarting++;
    const attempt = old.attempt + 1;
    const job = old.job;
    try {
      if (old.stats) this.earlierStats.set(job, addStats(this.earlierStats.get(job), old.stats));
      if (!old.finalStats) this.lostCounts.add(job);
      // A stuck or failing worker may still run: it must not send anything more.
      old.handle.kill('SIGKILL');
      const delayMs = backoffMs(spec.retryBackoffMs, attempt);
      host.emit({ type: 'job-restarting', job, node: old.handle.node, attempt, reason: failure.message, code: failure.code, delayMs, stateLost: !spec.stateless });
      await this.sleep(delayMs);
      if (host.stopping()) return;
      const moved = relocateJob(spec, this.nodeOf, this.lostNodes);
      this.nodeOf.set(job, moved.node);
      for (const [pipe, kind] of moved.transportOf) this.transportOf.set(pipe, kind);
      const w = await host.launch(job, moved.node, attempt);
      // A producer being restarted too (a node that ran both died) must listen before this one dials it.
      const producers = spec.inputs.map((p) => this.network.pipes[p]!.producer);
      await host.until(() => w.state !== 'starting' && producers.every((p) => this.listening(p)));
      if (host.stopping() || w.state !== 'ready') return;
      w.channel.send({ type: 'connect', inputs: host.inputAddresses(job) });
      // Running consumers dial the new worker; one that is being restarted itself gets it with its `connect`.
      for (const pipe of spec.outputs) {
        const consumer = this.workers.get(this.network.pipes[pipe]!.consumer);
        const address = host.addressOf(w, this.network.pipes[pipe]!);
        if (consumer && consumer.state === 'connected' && address) consumer.channel.send({ type: 'reconnect', inputs: { [pipe]: address } });
      }
      await host.until(() => w.state !== 'ready');
      if (host.stopping() || (w.state as Worker['state']) !== 'connected') return;
      w.channel.send({ type: 'start' });
      w.started = true;
      if (spec.timeoutMs !== undefined) host.timeJob(job, spec.timeoutMs);
      host.emit({ type: 'job-restarted', job, node: moved.node, why: moved.why, attempt, pid: w.handle.pid });
    } catch (err) {
      host.fail(job, {
        message: `job '${job}' could not be restarted after it failed (${failure.message}): ${err instanceof Error ? err.message : String(err)}`,
        stack: undefined,
        // no node left for it is a restart that cannot happen; a launch that failed keeps its own code
        code: err instanceof MarveloError && err.code !== 'MRV_PLAN_PLACEMENT' ? err.code : 'MRV_JOB_RESTARTS',
        hint: err instanceof MarveloError ? err.hint : undefined,
        phase: 'worker',
      });
    } finally {
      this.restarting--;
      host.wake();
    }
  }

  /** The job's current worker listens for its consumers (not one a restart replaces, nor one still starting). */
  private listening(job: string): boolean {
    const w = this.workers.get(job);
    return w !== undefined && !w.replaced && w.state !== 'starting';
  }

  /** Waits `ms`, or less when the run stops meanwhile. */
  private sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const check = () => (this.host.stopping() ? done() : this.host.onWake(check));
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.host.onWake(check);
    });
  }
}
