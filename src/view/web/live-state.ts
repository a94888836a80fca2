import type { RunEvent } from '../../api/run.js';
import type { Network } from '../../config/types.js';
import type { WorkerStats } from '../../control/messages.js';
import type { Plan } from '../../plan/types.js';
import { EVENTS_KEPT, LOG_LINE_CHARS, LOG_TAIL, SAMPLES_KEPT, type ViewEvent, type ViewJob, type ViewPipe, type ViewSample, type ViewSnapshot, type ViewUpdate } from './model.js';

/**
 * The live view's state, built from a run's events: the latest counters of each job (its metrics
 * events, nothing per block), a sample of them every `sample()` call, the events, and log tails.
 * `take()` hands what changed since the last call, for the event stream.
 */
export class LiveState {
  private runId: string | undefined;
  private network: Network | undefined;
  private jobs = new Map<string, ViewJob>();
  private pipes: ViewPipe[] = [];
  private consoles: string[] = [];
  private status = 'starting';
  private readonly stats = new Map<string, WorkerStats>();
  private readonly samples: ViewSample[] = [];
  private readonly events: ViewEvent[] = [];
  private readonly logs = new Map<string, string[]>();
  private started = Date.now();
  private statsChanged = false;
  private pending: ViewUpdate = {};

  snapshot(): ViewSnapshot {
    return {
      mode: 'live',
      runId: this.runId,
      network: this.network?.name,
      status: this.status,
      jobs: [...this.jobs.values()],
      pipes: this.pipes,
      consoles: this.consoles,
      samples: [...this.samples],
      events: [...this.events],
      logs: Object.fromEntries(this.logs),
    };
  }

  /** What changed since the last call; undefined: nothing. */
  take(): ViewUpdate | undefined {
    const u = this.pending;
    this.pending = {};
    return Object.keys(u).length === 0 ? undefined : u;
  }

  consoleJobs(): string[] {
    return this.consoles;
  }

  /** Adds a sample of the latest counters when they changed since the last one. */
  sample(): void {
    if (!this.network || !this.statsChanged) return;
    this.statsChanged = false;
    const s = sampleOf(this.network, this.stats, this.jobs, Date.now() - this.started);
    this.samples.push(s);
    if (this.samples.length > SAMPLES_KEPT) thinOut(this.samples);
    (this.pending.samples ??= []).push(s);
  }

  setStatus(status: string): void {
    this.status = this.pending.status = status;
  }

  onEvent(e: RunEvent): void {
    switch (e.type) {
      case 'loaded':
        this.network = e.network;
        this.started = Date.now();
        this.jobs = new Map(e.network.jobs.map((j) => [j.name, { name: j.name, node: undefined, state: 'queued', inputs: j.inputs, outputs: j.outputs }]));
        this.pipes = Object.values(e.network.pipes).map((p) => ({
          name: p.name,
          producer: p.producer,
          consumer: p.consumer,
          maxQueue: p.maxQueue,
          blockCount: p.blockCount,
          optional: p.optional !== undefined,
          drop: p.drop,
        }));
        this.pending.network = e.network.name;
        this.pending.pipes = this.pipes;
        this.jobsChanged();
        break;
      case 'planned':
        this.runId = this.pending.runId = e.runId;
        this.place(e.plan);
        this.setStatus('starting');
        break;
      case 'console':
        this.consoles = this.pending.consoles = e.jobs;
        this.event('info', `console jobs: ${e.jobs.join(', ')} (type below to send them a line)`);
        break;
      case 'started':
        for (const w of e.workers) this.setJob(w.job, 'running', w.node);
        this.setStatus('running');
        this.event('info', `${e.workers.length} jobs started`);
        break;
      case 'metrics':
        this.stats.set(e.job, e.stats);
        this.statsChanged = true;
        break;
      case 'job-finished':
        this.stats.set(e.job, e.stats);
        this.statsChanged = true;
        this.setJob(e.job, 'finished');
        this.event('info', `job ${e.job} finished`, e.job);
        break;
      case 'job-failed':
        this.setJob(e.job, 'failed');
        this.event('error', `job ${e.job} failed${e.failure.code ? ` (${e.failure.code})` : ''}: ${e.failure.message}`, e.job);
        break;
      case 'job-exited':
        if (e.code === null && e.signal === null) this.event('error', `job ${e.job}: ${e.lost ?? 'its node was lost'}`, e.job);
        else if (e.code !== 0) this.event('warn', `job ${e.job} exited (${e.signal ?? `code ${e.code}`})`, e.job);
        if (this.jobs.get(e.job)?.state === 'running') this.setJob(e.job, 'stopped');
        break;
      case 'job-restarting':
        this.setJob(e.job, 'restarting');
        this.event('error', `job ${e.job} failed on ${e.node}: ${firstLine(e.reason)}; restart ${e.attempt} in ${e.delayMs} ms${e.stateLost ? ' (its state is lost)' : ''}`, e.job);
        break;
      case 'job-restarted':
        this.setJob(e.job, 'running', e.node);
        this.event('info', `job ${e.job} runs again on ${e.node} (${e.why})`, e.job);
        break;
      case 'timed-out':
        this.event('error', `the run exceeded its timeout of ${e.timeoutMs} ms: stopping every job`);
        break;
      case 'retrying':
        this.event('warn', `${firstLine(e.reason)}; running the network again in ${e.delayMs} ms (retry ${e.attempt} of ${e.of})`);
        break;
      case 'notice':
        this.event('warn', e.text);
        break;
      case 'shipped':
        this.event('info', `${e.node}: uploaded ${e.files} files (${e.bytes} bytes), ${e.cached} cached`);
        break;
      case 'log':
        this.log(e.job, e.line);
        break;
      case 'sample':
        break;
    }
  }

  /** A line of the view itself (a console line sent from the page). */
  note(text: string): void {
    this.event('info', text);
  }

  private place(plan: Plan): void {
    for (const j of plan.jobs) {
      const job = this.jobs.get(j.job);
      if (job) {
        job.node = j.node;
        job.state = 'starting';
      }
    }
    this.jobsChanged();
  }

  private setJob(name: string, state: ViewJob['state'], node?: string): void {
    const job = this.jobs.get(name);
    if (!job) return;
    job.state = state;
    if (node !== undefined) job.node = node;
    this.jobsChanged();
  }

  private jobsChanged(): void {
    this.pending.jobs = [...this.jobs.values()].map((j) => ({ ...j }));
  }

  private event(level: ViewEvent['level'], text: string, job?: string): void {
    const e: ViewEvent = { t: Date.now() - this.started, level, text, ...(job === undefined ? {} : { job }) };
    this.events.push(e);
    if (this.events.length > EVENTS_KEPT) this.events.shift();
    (this.pending.events ??= []).push(e);
  }

  private log(job: string, line: string): void {
    const cut = line.length > LOG_LINE_CHARS ? line.slice(0, LOG_LINE_CHARS) + ' …' : line;
    let tail = this.logs.get(job);
    if (!tail) this.logs.set(job, (tail = []));
    tail.push(cut);
    if (tail.length > LOG_TAIL) tail.shift();
    const p = ((this.pending.logs ??= {})[job] ??= []);
    p.push(cut);
    if (p.length > LOG_TAIL) p.shift();
  }
}

/** The run's counters now, as a series line: each pipe from its producer's and its consumer's view. */
export function sampleOf(network: Network, stats: ReadonlyMap<string, WorkerStats>, jobs: ReadonlyMap<string, ViewJob>, t: number): ViewSample {
  const s: ViewSample = { t, jobs: {}, pipes: {} };
  for (const j of network.jobs) {
    const w = stats.get(j.name);
    s.jobs[j.name] = { rounds: w?.rounds ?? 0, cpuMs: w?.cpuMs ?? 0, rss: w?.rss ?? 0, state: jobs.get(j.name)?.state ?? 'queued' };
  }
  for (const p of Object.values(network.pipes)) {
    const out = stats.get(p.producer)?.outputs[p.name];
    const inp = stats.get(p.consumer)?.inputs[p.name];
    const blocks = inp?.blocks ?? 0;
    s.pipes[p.name] = {
      blocks,
      bytes: inp?.bytes ?? 0,
      dropped: out?.dropped ?? 0,
      dummies: inp?.dummies ?? 0,
      // sent and not yet received: in flight or waiting in the consumer's queue
      queued: Math.max(0, (out?.blocks ?? 0) - blocks),
    };
  }
  return s;
}

/** Keeps every other sample (the oldest first kept): a long run's chart keeps its whole span. */
function thinOut(samples: ViewSample[]): void {
  const kept = samples.filter((_, i) => i % 2 === 0);
  samples.length = 0;
  samples.push(...kept);
}

function firstLine(text: string): string {
  const at = text.indexOf('\n');
  return at < 0 ? text : text.slice(0, at);
}
