import type { HostState, ScriptJob } from '../jobs/script-job.js';
import { isThenable } from './thenable.js';
import type { OutputFanOut } from './output-fan-out.js';

/** Run a source this many blocks back to back before yielding to I/O. */
const SOURCE_BATCH = 512;

/** What a source driver reads and writes on its host (HostLifecycle). */
export interface SourceHost {
  rounds: number;
  roundsDoneThrough: number;
  busySince: number;
  readonly outputsClosed: boolean;
}

/**
 * The loop of a ScriptJob without inputs: a generator's values pulled in batches, or a plain run()
 * called again and again. Produces only while every lossless output has credit, so backpressure
 * reaches the source; stops once every consumer has closed.
 */
export class SourceDriver {
  private outSqn = 0;
  private creditWaiter: (() => void) | undefined;
  /** Set while a source waits for an async generator's step: ends the wait once every consumer has closed. */
  private onAllClosed: (() => void) | undefined;
  /** The step an async generator is computing, when emitBatch stopped on it. */
  private pendingStep: PromiseLike<unknown> | undefined;

  constructor(
    private readonly life: SourceHost,
    private readonly job: ScriptJob,
    private readonly host: HostState,
    private readonly out: OutputFanOut,
    /** The job has a `timeout:`: only then are its awaits marked (busySince), so others pay nothing. */
    private readonly timed: boolean,
  ) {}

  /** Runs the source until it ends, finishes or every consumer closed; rejects with the job's error. */
  async run(): Promise<void> {
    const first = (this.job.run as () => unknown)();
    const iter = asIterator(first);
    if (iter) await this.pullIterator(iter);
    else await this.callPlainSource(first);
  }

  /** Credit arrived or a consumer closed (`closed`: every consumer has). */
  outputChanged(closed: boolean): void {
    if (closed && this.onAllClosed) {
      const stop = this.onAllClosed;
      this.onAllClosed = undefined;
      stop();
    }
    const w = this.creditWaiter;
    this.creditWaiter = undefined;
    if (w) w();
  }

  /**
   * The async generator's step, or CLOSED as soon as every consumer has closed (the generator may be
   * waiting for something that never comes, such as console input). One promise per step, released
   * when the step settles: racing each step against one shared "closed" promise left a reaction on
   * that promise per value, ~350 bytes each, for as long as the source ran.
   */
  private stepOrClosed(step: PromiseLike<unknown>): Promise<unknown> {
    if (this.life.outputsClosed) return Promise.resolve(CLOSED);
    return new Promise((resolve, reject) => {
      this.onAllClosed = () => resolve(CLOSED);
      step.then(
        (r) => {
          this.onAllClosed = undefined;
          resolve(r);
        },
        (err: unknown) => {
          this.onAllClosed = undefined;
          reject(err);
        },
      );
    });
  }

  /** A generator source: batches of values pulled synchronously, awaiting only credit, a turn of I/O or an async step. */
  private async pullIterator(iter: AnyIterator): Promise<void> {
    for (;;) {
      const outcome = this.emitBatch(iter);
      if (outcome === BATCH_DONE) {
        await new Promise<void>((r) => setImmediate(r));
      } else if (outcome === NO_CREDIT) {
        await new Promise<void>((r) => (this.creditWaiter = r));
      } else if (outcome === ASYNC_STEP) {
        if (this.timed) this.life.busySince = Date.now();
        const step = await this.stepOrClosed(this.pendingStep!);
        this.life.busySince = 0;
        this.pendingStep = undefined;
        if (step === CLOSED) break;
        const r = step as IteratorResult<unknown>;
        if (r.done) break;
        this.emit(r.value);
        if (this.host.finished) break;
      } else {
        break;
      }
    }
    if (typeof iter.return === 'function' && this.life.outputsClosed) {
      // A generator suspended at an await cannot be returned until that await settles: don't wait for it.
      const r = iter.return(undefined);
      if (isThenable(r)) void Promise.resolve(r).catch(() => {});
    }
  }

  /**
   * Pulls and sends up to SOURCE_BATCH values without awaiting anything: the hot loop of a source. The
   * outputs' send budget is read once and counted down, not checked per value.
   */
  private emitBatch(iter: AnyIterator): BatchOutcome {
    if (this.life.outputsClosed) return SOURCE_ENDED;
    const host = this.host;
    let budget = this.out.budget();
    for (let n = 0; n < SOURCE_BATCH; n++) {
      if (budget === 0) {
        budget = this.out.budget();
        if (budget === 0) return NO_CREDIT;
      }
      budget--;
      const step = iter.next();
      if (isThenable(step)) {
        this.pendingStep = step;
        return ASYNC_STEP;
      }
      if (step.done) return SOURCE_ENDED;
      this.emit(step.value);
      if (host.finished) return SOURCE_ENDED;
    }
    return BATCH_DONE;
  }

  /** A plain run() source: called again and again (a promise is awaited) until it returns undefined. */
  private async callPlainSource(first: unknown): Promise<void> {
    const job = this.job;
    const life = this.life;
    let value = first;
    let firstCall = true;
    let batch = 0;
    for (;;) {
      if (life.outputsClosed) break;
      // Any output change wakes us (credit on one port while another still holds a sent array): check again.
      while (this.out.budget() === 0 && !life.outputsClosed) await new Promise<void>((r) => (this.creditWaiter = r));
      if (life.outputsClosed) break;
      if (!firstCall) value = (job.run as () => unknown)();
      firstCall = false;
      if (isThenable(value)) {
        if (this.timed) life.busySince = Date.now();
        value = await value;
        life.busySince = 0;
      }
      if (value === undefined) break;
      this.emit(value);
      if (this.host.finished) break;
      if (++batch >= SOURCE_BATCH) {
        batch = 0;
        await new Promise<void>((r) => setImmediate(r));
      }
    }
  }

  /** A restarted source goes on after block `sqn` (its seek(sqn) was called): no new stream, no reset bit. */
  resumeAfter(sqn: number): void {
    this.outSqn = sqn;
    this.life.roundsDoneThrough = sqn;
    this.out.continueStream();
  }

  private emit(value: unknown): void {
    const life = this.life;
    life.rounds++;
    const sqn = ++this.outSqn;
    this.out.sendSource(sqn, value);
    life.roundsDoneThrough = sqn;
  }
}

const CLOSED = Symbol('all outputs closed');

/** How emitBatch stopped. */
const BATCH_DONE = 0;
const NO_CREDIT = 1;
const ASYNC_STEP = 2;
const SOURCE_ENDED = 3;
type BatchOutcome = typeof BATCH_DONE | typeof NO_CREDIT | typeof ASYNC_STEP | typeof SOURCE_ENDED;

type AnyIterator = {
  next(): IteratorResult<unknown> | Promise<IteratorResult<unknown>>;
  return?(value?: unknown): unknown;
};

function asIterator(x: unknown): AnyIterator | undefined {
  if (x === null || typeof x !== 'object') return undefined;
  const it = x as Record<symbol | string, unknown>;
  if (typeof it.next === 'function' && (Symbol.iterator in it || Symbol.asyncIterator in it)) return x as AnyIterator;
  return undefined;
}
