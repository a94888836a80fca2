import { basename } from 'node:path';
import { LiveState } from '../../api/live-state.js';
import { sampleOf } from '../../api/records/series.js';
import type { RunEvent } from '../../api/run.js';
import { EVENTS_KEPT, LOG_LINE_CHARS, LOG_TAIL, SAMPLES_KEPT, type ViewEvent, type ViewJob, type ViewPipe, type ViewSample, type ViewSnapshot, type ViewUpdate, viewPipe } from './model.js';

/**
 * What the live page shows, built from a run's events: the run's counters and job states (LiveState:
 * the counters the workers send with `metrics`, nothing per block) sampled on each `sample()` call as
 * series lines, the events worth telling, and each job's log tail. `take()` hands what changed since
 * its last call, for the event stream.
 */
export class PageState {
  private readonly live = new LiveState();
  private runId: string | undefined;
  private pipes: ViewPipe[] = [];
  private consoles: string[] = [];
  private status = 'starting';
  private readonly samples: ViewSample[] = [];
  private readonly events: ViewEvent[] = [];
  private readonly logs = new Map<string, string[]>();
  /** Jobs whose worker ended while LiveState still says running (the run was stopped): shown as stopped. */
  private readonly exited = new Set<string>();
  private counted = false;
  private jobsSent = '';
  private pending: ViewUpdate = {};

  snapshot(): ViewSnapshot {
    return {
      mode: 'live',
      runId: this.runId,
      network: this.live.network?.name,
      status: this.status,
      jobs: this.jobs(),
      pipes: this.pipes,
      consoles: this.consoles,
      samples: [...this.samples],
      events: [...this.events],
      logs: Object.fromEntries(this.logs),
    };
  }

  /** What changed since the last call; undefined: nothing. */
  take(): ViewUpdate | undefined {
    const jobs = this.jobs();
    const key = JSON.stringify(jobs);
    if (key !== this.jobsSent) {
      this.jobsSent = key;
      this.pending.jobs = jobs;
    }
    const u = this.pending;
    this.pending = {};
    return Object.keys(u).length === 0 ? undefined : u;
  }

  consoleJobs(): string[] {
    return this.consoles;
  }

  /** Adds a sample of the run's counters when new ones came since the last sample. */
  sample(): void {
    if (!this.live.running || !this.counted) return;
    this.counted = false;
    const s = sampleOf(this.live);
    this.samples.push(s);
    if (this.samples.length > SAMPLES_KEPT) thinOut(this.samples);
    (this.pending.samples ??= []).push(s);
  }

  setStatus(status: string): void {
    this.status = this.pending.status = status;
  }

  onEvent(e: RunEvent): void {
    this.live.apply(e);
    switch (e.type) {
      case 'loaded':
        this.pipes = this.pending.pipes = Object.values(e.network.pipes).map(viewPipe);
        this.pending.network = e.network.name;
        break;
      case 'planned':
        this.runId = this.pending.runId = e.runId;
        break;
      case 'console':
        this.consoles = this.pending.consoles = e.jobs;
        this.event('info', `console jobs: ${e.jobs.join(', ')} (type below to send them a line)`);
        break;
      case 'started':
        this.exited.clear();
        this.setStatus('running');
        this.event('info', `${e.workers.length} jobs started`);
        break;
      case 'metrics':
        this.counted = true;
        break;
      case 'job-finished':
        this.counted = true;
        this.event('info', `job ${e.job} finished`, e.job);
        break;
      case 'job-failed':
        this.event('error', `job ${e.job} failed${e.failure.code ? ` (${e.failure.code})` : ''}: ${e.failure.message}`, e.job);
        break;
      case 'job-exited':
        this.exited.add(e.job);
        if (e.code === null && e.signal === null) this.event('error', `job ${e.job}: ${e.lost ?? 'its node was lost'}`, e.job);
        else if (e.code !== 0) this.event('warn', `job ${e.job} exited (${e.signal ?? `code ${e.code}`})`, e.job);
        break;
      case 'job-restarting':
        this.event('error', `job ${e.job} failed on ${e.node}: ${firstLine(e.reason)}; restart ${e.attempt} in ${e.delayMs} ms${e.stateLost ? ' (its state is lost)' : ''}`, e.job);
        break;
      case 'job-restarted':
        this.exited.delete(e.job);
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
      case 'bundled':
        this.event('info', `bundled ${basename(e.module)} (${e.bytes} bytes)`);
        break;
      case 'log':
        this.log(e.job, e.line);
        break;
    }
  }

  /** A line of the view itself (a console line sent from the page). */
  note(text: string): void {
    this.event('info', text);
  }

  private jobs(): ViewJob[] {
    const specs = new Map((this.live.network?.jobs ?? []).map((j) => [j.name, j]));
    return this.live.jobs().map((j) => ({ name: j.job, node: j.node, state: j.state === 'running' && this.exited.has(j.job) ? 'stopped' : j.state, inputs: specs.get(j.job)?.inputs ?? [], outputs: specs.get(j.job)?.outputs ?? [] }));
  }

  private event(level: ViewEvent['level'], text: string, job?: string): void {
    // times as the samples count them: from the workers' start (0 before)
    const t = this.live.startedAt === undefined ? 0 : Date.now() - this.live.startedAt;
    const e: ViewEvent = { t, level, text, ...(job === undefined ? {} : { job }) };
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

/** Keeps every other sample (the first kept): a long run's chart keeps its whole span. */
function thinOut(samples: ViewSample[]): void {
  const kept = samples.filter((_, i) => i % 2 === 0);
  samples.length = 0;
  samples.push(...kept);
}

function firstLine(text: string): string {
  const at = text.indexOf('\n');
  return at < 0 ? text : text.slice(0, at);
}
