/**
 * Keeps the record of one run (`<runs>/<id>/`) from its RunEvents: run.json (rewritten atomically at
 * each state change), events.jsonl (state changes only, never log lines or metrics), logs/<job>.log
 * (one buffered append stream per job) and series.jsonl (the counters of the metrics, a sample a second). Writing a record never fails the run: after the folder exists,
 * a write that fails is left out.
 */
import { createHash } from 'node:crypto';
import { createWriteStream, mkdirSync, readFileSync, type WriteStream } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { isMarveloError, MarveloError, MarveloErrors } from '../../errors.js';
import type { RunEvent, RunResult } from '../run.js';
import type { RunOverrides } from '../../config/overrides.js';
import type { HookOutcome } from '../hooks.js';
import { LOGS_DIR, logFile, runsToKeep } from './paths.js';
import { prune } from './retention.js';
import { effectiveConfig } from './snapshot.js';
import { appendEvent, writeRunFile } from './store.js';
import type { JobRecord, RunRecord, RunTrigger } from './types.js';
import { failureReason } from './reason.js';
import { LiveState } from '../live-state.js';
import { SeriesWriter } from './series.js';

export interface RecordOptions {
  runsDir: string;
  id: string;
  networkFile: string;
  trigger: RunTrigger;
  /** The run's overrides of the network file (kept as given). */
  overrides?: RunOverrides;
}

export class RecordWriter {
  readonly dir: string;
  private readonly record: RunRecord;
  private readonly logs = new Map<string, { stream: WriteStream; drained: Promise<void> | undefined }>();
  private readonly exits = new Map<string, { code: number | null; signal: string | null }>();
  private closed = false;
  private readonly live = new LiveState();
  private readonly series: SeriesWriter;

  /** Creates the record's folder (MRV_RUN_RECORD when it cannot), then keeps the newest runs of the folder. */
  constructor({ runsDir, id, networkFile, trigger, overrides }: RecordOptions, content: Buffer) {
    this.dir = join(runsDir, id);
    this.series = new SeriesWriter(this.dir);
    try {
      mkdirSync(join(this.dir, LOGS_DIR), { recursive: true });
    } catch (err) {
      throw new MarveloError('MRV_RUN_RECORD', `cannot create the run's record folder ${this.dir}: ${(err as Error).message}`, {
        hint: 'give a folder you can write with --runs-dir (or MARVELO_RUNS_DIR)',
      });
    }
    this.record = {
      marvelo: 'run',
      version: 1,
      id,
      network: { file: resolve(networkFile), name: undefined, sha256: createHash('sha256').update(content).digest('hex') },
      trigger,
      overrides,
      client: { pid: process.pid, host: hostname() },
      status: 'queued',
      reason: undefined,
      acceptedAt: new Date().toISOString(),
      startedAt: undefined,
      finishedAt: undefined,
      failure: undefined,
      config: undefined,
      placement: undefined,
      jobs: [],
      attempts: 1,
      summary: undefined,
    };
    writeRunFile(this.dir, this.record);
    appendEvent(this.dir, 'accepted', { id, network: this.record.network.file, trigger });
    prune(runsDir, runsToKeep());
  }

  /** Takes one event of the run; a promise: a job's log file cannot take more yet (as RunOptions.onEvent). */
  onEvent(e: RunEvent): Promise<void> | undefined {
    if (this.closed) return undefined;
    if (e.type === 'log') return this.log(e.job, e.line);
    this.live.apply(e);
    if (e.type !== 'sample' && e.type !== 'console') this.safely(() => this.series.offer(this.live));
    this.safely(() => this.change(e));
    return undefined;
  }

  private change(e: RunEvent): void {
    const now = new Date().toISOString();
    switch (e.type) {
      case 'loaded':
        this.record.network.name = e.network.name;
        this.record.config = effectiveConfig(e.network);
        this.record.jobs = e.network.jobs.map((j) => newJobRecord(j.name));
        break;
      case 'planned':
        this.record.placement = { jobs: e.plan.jobs, pipes: e.plan.pipes };
        for (const p of e.plan.jobs) this.job(p.job).node = p.node;
        this.event('planned', { jobs: e.plan.jobs, pipes: e.plan.pipes });
        break;
      case 'shipped':
        return this.event('shipped', { node: e.node, files: e.files, bytes: e.bytes, cached: e.cached });
      case 'started':
        this.record.status = 'running';
        this.record.startedAt = now;
        for (const w of e.workers) Object.assign(this.job(w.job), { node: w.node, pid: w.pid, state: 'running', startedAt: now });
        this.event('started', { workers: e.workers.map((w) => ({ job: w.job, node: w.node, pid: w.pid })) });
        break;
      case 'job-finished':
        Object.assign(this.job(e.job), { state: 'succeeded', finishedAt: now });
        this.event('job-finished', { job: e.job });
        break;
      case 'job-failed':
        Object.assign(this.job(e.job), { state: 'failed', finishedAt: now });
        this.event('job-failed', { job: e.job, code: e.failure.code, message: e.failure.message, reason: failureReason(e.failure, this.exits.get(e.job)) });
        break;
      case 'timed-out':
        return this.event('timed-out', { timeoutMs: e.timeoutMs, reason: 'DeadlineExceeded' });
      case 'job-exited': {
        const exit = { code: e.code, signal: e.signal };
        this.exits.set(e.job, exit);
        const j = this.job(e.job);
        j.exit = exit;
        j.finishedAt ??= now;
        this.event('job-exited', { job: e.job, node: e.node, ...exit, ...(e.lost === undefined ? {} : { lost: e.lost }) });
        break;
      }
      case 'job-restarting': {
        const j = this.job(e.job);
        const reason = failureReason({ code: e.code }, this.exits.get(e.job));
        j.restarts.push({ at: now, from: e.node, to: undefined, reason, message: e.reason, stateLost: e.stateLost });
        j.exit = undefined;
        j.finishedAt = undefined;
        this.event('job-restarting', { job: e.job, node: e.node, attempt: e.attempt, reason, message: e.reason, delayMs: e.delayMs, stateLost: e.stateLost });
        break;
      }
      case 'job-restarted': {
        const j = this.job(e.job);
        Object.assign(j, { node: e.node, pid: e.pid, state: 'running', attempts: e.attempt + 1 });
        const last = j.restarts.at(-1);
        if (last) last.to = e.node;
        this.event('job-restarted', { job: e.job, node: e.node, why: e.why, attempt: e.attempt, pid: e.pid });
        break;
      }
      case 'notice':
        return this.event('notice', { text: e.text });
      case 'retrying':
        this.record.attempts = e.attempt + 1;
        return this.event('retrying', { attempt: e.attempt, of: e.of, delayMs: e.delayMs, reason: e.reason });
      default:
        return; // metrics, samples, console: not state changes
    }
    this.rewriteSoon();
  }

  /** Changes that come together (every job finishing) make one rewrite of run.json, at the end of the turn. */
  private rewriteSoon(): void {
    if (this.rewrite !== undefined) return;
    this.rewrite = setImmediate(() => {
      this.rewrite = undefined;
      if (!this.closed) this.safely(() => writeRunFile(this.dir, this.record));
    });
  }
  private rewrite: NodeJS.Immediate | undefined;

  /** Ctrl-C or SIGTERM: the run is being cancelled. */
  interrupted(): void {
    if (!this.closed) this.safely(() => this.event('interrupted'));
  }

  /** The run ended (its result, or the error `done` rejected with): the final state, once the logs are on disk. */
  async close(end: { result: Omit<RunResult, 'hooks'> } | { error: unknown }): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.safely(() => this.series.offer(this.live, true));
    await Promise.all([...this.logs.values()].map(({ stream }) => new Promise<void>((r) => stream.end(r))));
    this.safely(() => this.finish(end));
  }

  /** A hook ran after the run ended (the record is final): a `hook` event, and run.json's `hooks`. */
  hookRan(outcome: HookOutcome): void {
    this.safely(() => {
      (this.record.hooks ??= []).push(outcome);
      this.event('hook', { ...outcome });
      writeRunFile(this.dir, this.record);
    });
  }

  /** The client is about to exit (a second Ctrl-C): the record says cancelled, written at once. */
  killed(): void {
    if (this.closed) return;
    this.closed = true;
    this.safely(() => this.series.offer(this.live, true));
    for (const { stream } of this.logs.values()) stream.end();
    this.safely(() => this.finish({ error: new MarveloError('MRV_RUN_INTERRUPTED', 'killed by a second Ctrl-C') }));
  }

  private finish(end: { result: Omit<RunResult, 'hooks'> } | { error: unknown }): void {
    if (this.rewrite !== undefined) clearImmediate(this.rewrite);
    this.rewrite = undefined;
    const r = this.record;
    r.finishedAt = new Date().toISOString();
    if ('result' in end) {
      const s = end.result.summary;
      r.summary = s;
      r.status = s.status === 'finished' ? 'succeeded' : s.status === 'failed' ? 'failed' : s.status === 'timed_out' ? 'timed_out' : 'cancelled';
      if (s.timedOut) {
        r.failure = { job: undefined, code: s.timedOut.code, message: s.timedOut.message, hint: undefined };
        r.reason = 'DeadlineExceeded';
      } else if (s.failure) {
        r.failure = { job: s.failure.job, code: s.failure.code, message: s.failure.message, hint: s.failure.hint };
        r.reason = failureReason(s.failure, this.exits.get(s.failure.job));
      } else if (r.status === 'cancelled') r.reason = 'Cancelled';
    } else if (isMarveloError(end.error) && end.error.code === 'MRV_RUN_INTERRUPTED') {
      r.status = 'cancelled';
      r.reason = 'Cancelled';
    } else {
      // a file that does not load, a node that cannot be prepared: the first coded error is the reason
      const err = end.error;
      const first = err instanceof MarveloErrors ? err.errors[0] : isMarveloError(err) ? err : undefined;
      r.status = 'failed';
      r.reason = first?.code ?? 'Error';
      r.failure = { job: first?.job, code: first?.code, message: err instanceof Error ? err.message : String(err), hint: first?.hint };
    }
    for (const j of r.jobs) {
      if (j.state === 'queued' || j.state === 'running') {
        j.state = r.status === 'succeeded' ? 'succeeded' : 'cancelled';
        j.finishedAt ??= r.finishedAt;
      }
    }
    const dropped = Object.fromEntries((r.summary?.pipes ?? []).map((p) => [p.pipe, p.dropped]));
    this.event('finished', { status: r.status, reason: r.reason, wallMs: r.summary?.wallMs, dropped });
    writeRunFile(this.dir, r);
  }

  private log(job: string, line: string): Promise<void> | undefined {
    let log = this.logs.get(job);
    if (!log) {
      const stream = createWriteStream(logFile(this.dir, job), { flags: 'a' });
      stream.on('error', () => {}); // a full disk loses log lines, never the run
      log = { stream, drained: undefined };
      this.logs.set(job, log);
    }
    if (log.stream.write(line + '\n') || log.stream.destroyed) return undefined;
    const l = log;
    return (l.drained ??= new Promise<void>((r) => {
      const done = () => {
        l.drained = undefined;
        l.stream.off('drain', done).off('close', done);
        r();
      };
      l.stream.on('drain', done).on('close', done);
    }));
  }

  private job(name: string): JobRecord {
    let j = this.record.jobs.find((x) => x.job === name);
    if (!j) this.record.jobs.push((j = newJobRecord(name)));
    return j;
  }

  private event(type: string, fields: Record<string, unknown> = {}): void {
    appendEvent(this.dir, type, fields);
  }

  private safely(write: () => void): void {
    try {
      write();
    } catch {
      // the run goes on without its record
    }
  }
}

/**
 * The writer of a run's record, or undefined when the network file cannot be read (a path with a typo
 * gets no record folder; its error is reported by the load).
 */
export function openRecord(opts: RecordOptions): RecordWriter | undefined {
  let content: Buffer;
  try {
    content = readFileSync(opts.networkFile);
  } catch {
    return undefined;
  }
  return new RecordWriter(opts, content);
}

function newJobRecord(job: string): JobRecord {
  return { job, node: undefined, pid: undefined, state: 'queued', startedAt: undefined, finishedAt: undefined, exit: undefined, attempts: 1, restarts: [] };
}
