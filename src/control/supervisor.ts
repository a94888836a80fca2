import { createInterface } from 'node:readline';
import type { JobSpec, Network, PipeSpec, TransportKind } from '../config/types.js';
import type { Launcher, WorkerExit } from '../launch/types.js';
import type { Plan } from '../plan/types.js';
import { LOCAL_NODE } from '../plan/place.js';
import type { Address } from '../wire/types.js';
import { ControlChannel } from './channel.js';
import { endChildGroup, forgetChildGroup, watchChildGroup } from './child-group.js';
import { heapLimitArgs, heapRanOut, overMemoryLimit } from './memory-watch.js';
import { Restarts, type RelocateJob } from './restarts.js';
import { Timeouts } from './timeouts.js';
import type { Worker } from './worker.js';
import type { ClientMessage, JobFailure, LogSample, RunInfo, WorkerJob, WorkerMessage, WorkerStats } from './messages.js';

export type SupervisorEvent =
  | { type: 'log'; job: string; stream: 'stdout' | 'stderr'; line: string }
  | { type: 'started'; workers: { job: string; node: string; pid: number | undefined; listen: Address[] }[] }
  | { type: 'metrics'; job: string; stats: WorkerStats }
  /** A resource sample of a job marked `logging: true`. */
  | { type: 'sample'; job: string; sample: LogSample }
  | { type: 'job-finished'; job: string; stats: WorkerStats }
  | { type: 'job-failed'; job: string; failure: JobFailure }
  /** A worker's process ended (code and signal both null: its node or the connection to it was lost). */
  | { type: 'job-exited'; job: string; node: string; code: number | null; signal: NodeJS.Signals | null; lost?: string }
  /** The network's `timeout:` ran out: every job is being stopped. */
  | { type: 'timed-out'; timeoutMs: number }
  /**
   * A job with `on_failure: restart` failed and starts again in `delayMs` (its back-off): `node` is where
   * it ran, `reason` why it failed; `stateLost`: its class is not STATELESS, so what it kept is gone.
   */
  | { type: 'job-restarting'; job: string; node: string; attempt: number; reason: string; code: string | undefined; delayMs: number; stateLost: boolean }
  /** The restarted job runs again, on `node` (`why` there), its pipes joined again. */
  | { type: 'job-restarted'; job: string; node: string; why: string; attempt: number; pid: number | undefined };

export interface SupervisorOutcome {
  /** The first failure, if any (later ones are usually consequences of stopping). */
  failure: { job: string; failure: JobFailure } | undefined;
  interrupted: boolean;
  /** The network's `timeout:` ran out (and stopped the run). */
  timedOut: { timeoutMs: number } | undefined;
  stats: Record<string, WorkerStats>;
  /** Jobs whose worker never reported final counters (killed, crashed, or no answer to `stop`): their stats are the last ones seen. */
  partial: string[];
}

/** How long a stopped worker may take to exit before it is killed. */
const STOP_GRACE_MS = 3000;

/** After a worker exits, how long its control stream may take to deliver its last messages. */
const DRAIN_MS = 2000;

/**
 * A broken data connection (MRV_WIRE_CONNECT) is most often the consequence of the peer's death, which
 * the peer's consumer can see before the client sees the peer exit: such a failure waits this long for
 * a root cause (a worker's death or another failure) to be blamed instead.
 */
const CONSEQUENCE_MS = 1000;

/**
 * Runs the control protocol with every worker: init -> ready -> connect -> connected -> start, then
 * watches for finished/failed/exit. The first failure stops the run.
 */
export class Supervisor {
  private readonly workers = new Map<string, Worker>();
  private failure: SupervisorOutcome['failure'];
  private interrupted = false;
  private stopping = false;
  private readonly timeouts: Timeouts;
  private phaseWaiters: (() => void)[] = [];
  /** Where each job runs now: the plan's, until a restart moves a job. */
  private readonly nodeOf: Map<string, string>;
  private readonly transportOf: Map<string, TransportKind>;
  private readonly restarts: Restarts;
  private runId = '';
  /** Every job was told to start: from now on a failed job may be restarted. */
  private running = false;

  constructor(
    private readonly network: Network,
    private readonly launchers: Map<string, Launcher>,
    plan: Plan,
    private readonly makeJob: (job: string, node: string) => WorkerJob,
    private readonly makeRun: (job: string, node: string, attempt: number, transportOf: ReadonlyMap<string, TransportKind>) => RunInfo,
    /** Where a job's worker runs on its node. */
    private readonly cwdOf: (job: string, node: string) => string,
    /**
     * Receives every event. A promise returned for a `log` event means its consumer cannot take more
     * lines yet (the client's stdout is full): no worker's control channel is read until it settles, so
     * the jobs that print wait instead of their lines piling up in the client.
     */
    private readonly emit: (e: SupervisorEvent) => void | Promise<void>,
    /** Jobs fed by the client (console, logging sinks): their feed ends once every other job is done. */
    private readonly fedJobs: ReadonlySet<string> = new Set(),
    /** How often the workers report metrics (RunInfo.metricsMs): a job's timeout allows for the gap. */
    metricsMs = 500,
    /** Where a restarted job goes: its node if alive, else another of the `usable` ones (relocate()). */
    relocateJob?: RelocateJob,
  ) {
    this.nodeOf = new Map(plan.nodeOf);
    this.transportOf = new Map(plan.transportOf);
    this.restarts = new Restarts(network, this.workers, this.nodeOf, this.transportOf, relocateJob, {
      stopping: () => this.stopping,
      launch: async (job, node, attempt) => {
        const w = await this.launch(job, this.runId, node, attempt);
        this.sendInit(w, node);
        return w;
      },
      inputAddresses: (job) => this.inputAddresses(job),
      addressOf: (producer, pipe) => this.addressOf(producer, pipe),
      until: (cond) => this.until(cond),
      onWake: (check) => this.phaseWaiters.push(check),
      wake: () => this.wake(),
      emit: (e) => void this.emit(e),
      fail: (job, failure) => this.fail(job, failure),
      timeJob: (job, timeoutMs) => this.timeouts.timeJob(job, timeoutMs),
    });
    this.timeouts = new Timeouts(network, this.workers, metricsMs, {
      stopping: () => this.stopping,
      outputHeld: () => this.outputHeld,
      emit: (e) => void this.emit(e),
      stopAll: () => void this.stopAll(),
      jobFailed: (w, failure) => this.jobFailed(w, failure),
    });
  }

  /** Sends items to a job's client feed (ScriptJob.clientFeed()). */
  feed(job: string, items: unknown[]): void {
    const w = this.workers.get(job);
    if (w && w.state !== 'exited' && items.length > 0) w.channel.send({ type: 'feed', items });
  }

  /** Ends a job's client feed (Ctrl-D on the console, or the end of the run). */
  endFeed(job: string): void {
    const w = this.workers.get(job);
    if (w && w.state !== 'exited' && !this.feedEnded.has(job)) {
      this.feedEnded.add(job);
      w.channel.send({ type: 'feed-end' });
    }
  }
  private readonly feedEnded = new Set<string>();

  /** Jobs that have not exited yet. */
  get liveJobs(): string[] {
    return [...this.workers.values()].filter((w) => w.state !== 'exited').map((w) => w.job);
  }

  async run(runId: string): Promise<SupervisorOutcome> {
    this.runId = runId;
    try {
      try {
        await Promise.all(this.network.jobs.map((j) => this.launch(j.name, runId, this.nodeOf.get(j.name)!, 0)));
      } finally {
        for (const l of this.launchers.values()) void l.release?.();
      }
      for (const w of this.workers.values()) this.sendInit(w, this.nodeOf.get(w.job)!);
      await this.until(() => this.all((w) => w.state !== 'starting'));
      if (!this.stopping) {
        for (const w of this.workers.values()) w.channel.send({ type: 'connect', inputs: this.inputAddresses(w.job) });
        await this.until(() => this.all((w) => w.state !== 'ready'));
      }
      if (!this.stopping) {
        this.emit({
          type: 'started',
          workers: [...this.workers.values()].map((w) => ({ job: w.job, node: w.handle.node, pid: w.handle.pid, listen: w.listen })),
        });
        for (const w of this.workers.values()) {
          w.channel.send({ type: 'start' });
          w.started = true;
        }
        this.running = true;
        this.timeouts.arm();
      }
      await this.allSettled();
    } finally {
      this.timeouts.clear();
      await this.stopAll();
    }
    const stats: Record<string, WorkerStats> = {};
    const partial: string[] = [];
    for (const w of this.workers.values()) {
      const current = this.restarts.statsOf(w.job, w.stats);
      if (current) stats[w.job] = current;
      if ((w.started && !w.finalStats) || this.restarts.countsLost(w.job)) partial.push(w.job);
    }
    return { failure: this.failure, interrupted: this.interrupted, timedOut: this.timeouts.timedOut, stats, partial };
  }

  /** Ctrl-C: stop every worker and end the run. */
  interrupt(): void {
    this.interrupted = true;
    void this.stopAll();
  }

  /** Kills every worker now, without waiting: the client is about to exit. */
  kill(): void {
    for (const w of this.workers.values()) w.handle.kill('SIGKILL');
  }

  /** Every current worker has exited and no restart is under way (a restart adds a worker meanwhile). */
  private async allSettled(): Promise<void> {
    for (;;) {
      const current = [...this.workers.values()];
      await Promise.all(current.map((w) => w.settled));
      await this.until(() => this.restarts.underWay === 0);
      if (current.every((w) => this.workers.get(w.job) === w)) return;
    }
  }

  private async launch(job: string, runId: string, node: string, attempt: number): Promise<Worker> {
    const launcher = this.launchers.get(node)!;
    const spec = this.specOf(job);
    const handle = await launcher.launch({ job, runId, cwd: this.cwdOf(job, node), env: spec.env, nodeArgs: heapLimitArgs(spec) });
    const w: Worker = {
      job,
      attempt,
      replaced: false,
      handle,
      listen: [],
      stats: undefined,
      finalStats: false,
      started: false,
      state: 'starting',
      lastStderr: [],
      processExited: false,
      childGroup: undefined,
      channel: undefined as unknown as Worker['channel'],
      settled: undefined as unknown as Promise<void>,
    };
    let channelClosed!: () => void;
    const drained = new Promise<void>((resolve) => (channelClosed = resolve));
    w.channel = new ControlChannel<WorkerMessage, ClientMessage>(
      handle.output,
      handle.input,
      (msg) => this.onMessage(w, msg),
      () => channelClosed(),
      (err) => {
        this.jobFailed(w, {
          message:
            `the worker's standard output is its control channel, and it carried bytes that are not control messages (${err.message}). ` +
            'Something in the job wrote to file descriptor 1 directly (a native addon, or a Node/V8 flag that prints, such as --trace-deopt); console.log and process.stdout are captured, fd 1 is not',
          stack: undefined,
          code: 'MRV_CONTROL_PROTOCOL',
          phase: 'worker',
        });
        handle.kill();
      },
    );
    const stderrLines = createInterface({ input: handle.stderr });
    // V8's "heap out of memory" is the last stderr line of a limited job that ran out: read it before the exit is judged
    const stderrRead = spec.limits?.memoryBytes === undefined ? Promise.resolve() : new Promise<void>((resolve) => stderrLines.once('close', resolve));
    stderrLines.on('line', (line) => {
      w.lastStderr.push(line);
      if (w.lastStderr.length > 20) w.lastStderr.shift();
      if (!w.replaced) this.emit({ type: 'log', job, stream: 'stderr', line });
    });
    this.workers.set(job, w);
    if (this.outputHeld) handle.output.pause();
    // A process can be seen to exit before its last messages ('finished', a last sample) are read.
    w.settled = handle.exited.then(async (exit) => {
      // What is left in its channel is bounded (the worker's writes block): read it even while output is held.
      w.processExited = true;
      handle.output.resume();
      await within(Promise.all([drained, stderrRead]).then(() => {}), DRAIN_MS);
      endChildGroup(w);
      this.onExit(w, exit);
    });
    if (this.stopping) handle.kill();
    return w;
  }

  private onMessage(w: Worker, msg: WorkerMessage): void {
    // also a replaced worker's: its program must end with it
    if (msg.type === 'child') {
      watchChildGroup(w, msg.pid);
      return;
    }
    if (w.replaced) return;
    this.timeouts.heard(w.job);
    switch (msg.type) {
      case 'ready':
        w.listen = msg.listen;
        w.state = 'ready';
        break;
      case 'connected':
        w.state = 'connected';
        break;
      case 'log':
        for (const line of msg.lines) this.holdOutput(this.emit({ type: 'log', job: w.job, stream: msg.stream, line }));
        break;
      case 'notice':
        this.emit({ type: 'log', job: w.job, stream: 'stderr', line: msg.text });
        break;
      case 'metrics':
        w.stats = msg.stats;
        this.emit({ type: 'metrics', job: w.job, stats: msg.stats });
        this.checkMemory(w, msg.stats.rss);
        this.timeouts.metrics(w.job, msg.busyMs);
        break;
      case 'sample':
        this.emit({ type: 'sample', job: w.job, sample: msg.sample });
        break;
      case 'finished':
        forgetChildGroup(w);
        this.timeouts.forget(w.job);
        w.stats = msg.stats;
        w.finalStats = true;
        w.state = 'finished';
        this.emit({ type: 'job-finished', job: w.job, stats: msg.stats });
        break;
      case 'stopped':
        w.stats = msg.stats;
        w.finalStats = true;
        break;
      case 'failed':
        this.timeouts.forget(w.job);
        w.stats = msg.stats;
        w.finalStats = true;
        w.state = 'failed';
        this.jobFailed(w, msg.error);
        break;
    }
    this.wake();
  }

  /** The consumer of the log lines is not ready for more: read no worker's control channel until it is. */
  private holdOutput(ready: void | Promise<void>): void {
    if (ready === undefined || this.outputHeld) return;
    this.outputHeld = true;
    for (const w of this.workers.values()) if (!w.processExited) w.handle.output.pause();
    const resume = () => {
      this.outputHeld = false;
      this.timeouts.resumed();
      for (const w of this.workers.values()) w.handle.output.resume();
    };
    ready.then(resume, resume);
  }
  private outputHeld = false;

  private onExit(w: Worker, exit: WorkerExit): void {
    const was = w.state;
    w.state = 'exited';
    if (w.replaced) {
      this.wake();
      return;
    }
    this.timeouts.forget(w.job);
    if (exit.code === null && exit.signal === null && w.handle.node !== LOCAL_NODE) this.restarts.nodeLost(w.handle.node);
    this.emit({ type: 'job-exited', job: w.job, node: w.handle.node, code: exit.code, signal: exit.signal, ...(exit.lost === undefined ? {} : { lost: exit.lost }) });
    if (this.fedJobs.size > 0 && this.restarts.underWay === 0 && this.all((x) => x.state === 'exited' || this.fedJobs.has(x.job))) {
      for (const job of this.fedJobs) this.endFeed(job);
    }
    if (was !== 'finished' && was !== 'failed' && !this.stopping) {
      // the node always, 'local' too: in a distributed run, where it died is the first question
      const how = exit.signal
        ? `on node '${w.handle.node}' was killed by ${exit.signal}`
        : exit.code === null
          ? `was lost with the connection to node '${w.handle.node}'${exit.lost ? ` (${exit.lost})` : ''}`
          : `on node '${w.handle.node}' exited with code ${exit.code}`;
      const tail = w.lastStderr.length > 0 ? `\n${w.lastStderr.join('\n')}` : '';
      const failure = heapRanOut(this.specOf(w.job), w.lastStderr, w.handle.node);
      this.jobFailed(w, failure ?? { message: `the worker ${how} before it finished${tail}`, stack: undefined, code: 'MRV_LAUNCH_WORKER', phase: 'worker' });
    }
    this.wake();
  }

  /** A worker over its job's memory limit is killed, and the job fails (MRV_JOB_OOM). */
  private checkMemory(w: Worker, rss: number): void {
    if (this.stopping || w.state === 'finished' || w.state === 'failed' || w.state === 'exited') return;
    const failure = overMemoryLimit(this.specOf(w.job), rss, w.handle.node);
    if (failure === undefined) return;
    w.handle.kill('SIGKILL');
    w.state = 'failed';
    this.timeouts.forget(w.job);
    this.jobFailed(w, failure);
  }

  /** A job failed: it is restarted when its policy allows another attempt, else the run fails. */
  private jobFailed(w: Worker, failure: JobFailure): void {
    if (w.replaced) return;
    // While the network starts, a failure ends the run: a job that cannot start once will not start again.
    if (this.stopping || !this.running) this.fail(w.job, failure);
    else this.restarts.jobFailed(w, failure);
  }

  /** Sends the worker its `init`: the run's settings for its attempt on `node`, and its job. */
  private sendInit(w: Worker, node: string): void {
    w.channel.send({ type: 'init', run: this.makeRun(w.job, node, w.attempt, this.transportOf), job: this.makeJob(w.job, node) });
  }

  private specOf(job: string): JobSpec {
    return this.network.jobs.find((j) => j.name === job)!;
  }

  private fail(job: string, failure: JobFailure): void {
    if (failure.code === 'MRV_WIRE_CONNECT' && !this.stopping) {
      this.consequence ??= { job, failure, timer: setTimeout(() => void this.stopAll(), CONSEQUENCE_MS) };
      return;
    }
    if (this.consequence !== undefined) clearTimeout(this.consequence.timer);
    this.consequence = undefined;
    this.record(job, failure);
    void this.stopAll();
  }

  /** A broken connection waiting for its cause (CONSEQUENCE_MS). */
  private consequence: { job: string; failure: JobFailure; timer: NodeJS.Timeout } | undefined;

  private record(job: string, failure: JobFailure): void {
    if (this.failure === undefined && !this.interrupted && this.timeouts.timedOut === undefined) {
      this.failure = { job, failure };
      this.emit({ type: 'job-failed', job, failure });
    }
  }

  private stopPromise: Promise<void> | undefined;
  private stopAll(): Promise<void> {
    this.stopping = true;
    if (this.consequence !== undefined) {
      // No cause was seen: the broken connection is the failure.
      clearTimeout(this.consequence.timer);
      this.record(this.consequence.job, this.consequence.failure);
      this.consequence = undefined;
    }
    this.wake();
    this.stopPromise ??= (async () => {
      const live = [...this.workers.values()].filter((w) => w.state !== 'exited');
      for (const w of live) {
        w.channel.send({ type: 'stop', reason: this.interrupted ? 'interrupted' : this.timeouts.timedOut ? 'timed out' : 'run stopped' });
        w.handle.input.end();
      }
      await Promise.all(
        live.map(async (w) => {
          let timer: NodeJS.Timeout | undefined;
          const timeout = new Promise<void>((r) => (timer = setTimeout(r, STOP_GRACE_MS)));
          await Promise.race([w.handle.exited, timeout]);
          clearTimeout(timer);
          w.handle.kill('SIGKILL');
          await w.handle.exited;
        }),
      );
    })();
    // A normal end: every worker exits by itself; stopAll then only closes the channels.
    return this.stopPromise;
  }

  /** Where the producer of each of the job's inputs listens, on the pipe's transport. */
  private inputAddresses(job: string): Record<string, Address> {
    const out: Record<string, Address> = {};
    for (const pipe of this.specOf(job).inputs) {
      const spec = this.network.pipes[pipe]!;
      const addr = this.addressOf(this.workers.get(spec.producer)!, spec);
      if (addr) out[pipe] = addr;
    }
    return out;
  }

  /**
   * Where `producer` listens for the consumer of `pipe`, on the pipe's transport now. A restart may bring
   * the two ends onto one node after the producer started listening for the other node only: TCP then.
   */
  private addressOf(producer: Worker, pipe: PipeSpec): Address | undefined {
    const kind = this.transportOf.get(pipe.name);
    return producer.listen.find((a) => a.kind === kind) ?? (pipe.restartable ? producer.listen.find((a) => a.kind === 'tcp') : undefined);
  }

  private all(pred: (w: Worker) => boolean): boolean {
    for (const w of this.workers.values()) if (!pred(w)) return false;
    return true;
  }

  private until(cond: () => boolean): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (this.stopping || cond()) resolve();
        else this.phaseWaiters.push(check);
      };
      check();
    });
  }

  private wake(): void {
    const ws = this.phaseWaiters;
    this.phaseWaiters = [];
    for (const w of ws) w();
  }
}

function within(p: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
