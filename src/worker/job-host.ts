import { HOST, type ScriptJob } from '../jobs/script-job.js';
import { Outputs } from '../jobs/outputs.js';
import { connectorHead, reservedBits, type ReservedBits } from '../sync/head-rules.js';
import { MarveloError } from '../errors.js';

import type { ArgSource, Host, HostContext } from './host.js';

/** Run a source this many blocks back to back before yielding to I/O. */
const SOURCE_BATCH = 512;

/**
 * Drives one ScriptJob: the source loop, or one run() per round assembled from the inputs, with
 * MARVELO's head rules on the way out. Produces only while every lossless output has credit, so
 * backpressure reaches the sources.
 */
export class JobHost implements Host {
  rounds = 0;
  roundsDoneThrough = 0;
  busySince = 0;
  /** The job has a `timeout:`: only then are its awaits marked (busySince), so others pay nothing. */
  private readonly timed: boolean;
  private readonly args: unknown[];
  private readonly argSources: ArgSource[];
  private readonly bits: ReservedBits;
  private busy = false;
  private done = false;
  private outSqn = 0;
  /** The next block a source emits starts a stream (or follows a reset): it carries the reset bit. */
  private resetNext = true;
  private triggers = 0;
  private creditWaiter: (() => void) | undefined;

  private readonly syncPorts: HostContext['syncPorts'];
  private readonly assembler: HostContext['assembler'];
  private readonly optionalPorts: HostContext['optionalPorts'];
  private readonly optionals: HostContext['optionals'];
  private readonly outputs: HostContext['outputPorts'];
  private readonly cb: HostContext['callbacks'];

  constructor(
    private readonly job: ScriptJob,
    ctx: HostContext,
  ) {
    this.syncPorts = ctx.syncPorts;
    this.assembler = ctx.assembler;
    this.optionalPorts = ctx.optionalPorts;
    this.optionals = ctx.optionals;
    this.outputs = ctx.outputPorts;
    this.cb = ctx.callbacks;
    this.timed = ctx.spec.timeoutMs !== undefined;
    this.argSources = ctx.argSources;
    this.args = new Array(ctx.argSources.length);
    const headSize = ctx.spec.headSize;
    this.bits = reservedBits(headSize);
    const host = job[HOST];
    host.headSize = headSize;
    host.grouped = ctx.argSources.map((s) => 'sync' in s && s.grouped);
    this.host = host;
    this.syncArg = ctx.argSources.map((s) => ('sync' in s ? s.sync : -1));
    this.groupedArg = ctx.argSources.map((s) => 'sync' in s && s.grouped);
    this.optionalArg = ctx.argSources.map((s) => ('optional' in s ? s.optional : -1));
    const only = ctx.argSources[0];
    this.singleBlock = ctx.argSources.length === 1 && only !== undefined && 'sync' in only && !only.grouped;
  }

  /** One sync input of block_count 1 (forward, sink): run(value) without building an argument list. */
  private readonly singleBlock: boolean;

  /** The job's host state (a symbol property): read once, not per round. */
  private readonly host: ScriptJob[typeof HOST];
  /** Per run() argument, decided once: its sync input (or -1), whether grouped, its optional input (or -1). */
  private readonly syncArg: number[];
  private readonly groupedArg: boolean[];
  private readonly optionalArg: number[];
  /** Every consumer has closed: kept up to date by onOutputChange, not scanned per round. */
  private outputsClosed = false;

  dispose(): void {}

  get isSource(): boolean {
    return this.argSources.length === 0;
  }

  private started = false;

  start(): void {
    this.started = true;
    if (this.isSource) {
      this.runSource().catch((err) => this.fail(err, 'run'));
    } else {
      this.pump();
    }
  }

  /** A block arrived on a sync input (the assembler has it) or an optional one. */
  onInput(): void {
    this.pump();
  }

  onOptionalInput(): void {
    if (this.assembler === undefined) this.triggers++;
    this.pump();
  }

  /** Set while a source waits for an async generator's step: ends the wait once every consumer has closed. */
  private onAllClosed: (() => void) | undefined;

  /**
   * The async generator's step, or CLOSED as soon as every consumer has closed (the generator may be
   * waiting for something that never comes, such as console input). One promise per step, released
   * when the step settles: racing each step against one shared "closed" promise left a reaction on
   * that promise per value, ~350 bytes each, for as long as the source ran.
   */
  private stepOrClosed(step: PromiseLike<unknown>): Promise<unknown> {
    if (this.allOutputsClosed) return Promise.resolve(CLOSED);
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

  /** Credit arrived or a consumer closed. */
  onOutputChange(): void {
    this.outputsClosed = this.scanOutputsClosed();
    if (this.outputsClosed && this.onAllClosed) {
      const stop = this.onAllClosed;
      this.onAllClosed = undefined;
      stop();
    }
    const w = this.creditWaiter;
    this.creditWaiter = undefined;
    if (w) w();
    else if (!this.isSource) this.pump();
  }

  /** An input stream ended. */
  onInputEnd(): void {
    this.pump();
  }

  private get allOutputsClosed(): boolean {
    return this.outputsClosed;
  }

  private scanOutputsClosed(): boolean {
    if (this.outputs.length === 0) return false;
    for (const o of this.outputs) if (!o.closedByPeer) return false;
    return true;
  }

  // ---- sources -------------------------------------------------------------------------------

  /** A restarted source goes on after block `sqn` (its seek(sqn) was called): no new stream, no reset bit. */
  resumeAfter(sqn: number): void {
    this.outSqn = sqn;
    this.roundsDoneThrough = sqn;
    this.resetNext = false;
  }

  private async runSource(): Promise<void> {
    const job = this.job;
    const first = (job.run as () => unknown)();
    const iter = asIterator(first);
    if (iter) await this.pullIterator(iter);
    else await this.callPlainSource(first);
    await this.finish();
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
        if (this.timed) this.busySince = Date.now();
        const step = await this.stepOrClosed(this.pendingStep!);
        this.busySince = 0;
        this.pendingStep = undefined;
        if (step === CLOSED) break;
        const r = step as IteratorResult<unknown>;
        if (r.done) break;
        this.emitSource(r.value);
        if (this.host.finished) break;
      } else {
        break;
      }
    }
    if (typeof iter.return === 'function' && this.allOutputsClosed) {
      // A generator suspended at an await cannot be returned until that await settles: don't wait for it.
      const r = iter.return(undefined);
      if (isThenable(r)) void Promise.resolve(r).catch(() => {});
    }
  }

  /** The step an async generator is computing, when emitBatch stopped on it. */
  private pendingStep: PromiseLike<unknown> | undefined;

  /**
   * Pulls and sends up to SOURCE_BATCH values without awaiting anything: the hot loop of a source. The
   * outputs' send budget is read once and counted down, not checked per value.
   */
  private emitBatch(iter: AnyIterator): BatchOutcome {
    if (this.allOutputsClosed) return SOURCE_ENDED;
    const host = this.host;
    let budget = this.sendBudget();
    for (let n = 0; n < SOURCE_BATCH; n++) {
      if (budget === 0) {
        budget = this.sendBudget();
        if (budget === 0) return NO_CREDIT;
      }
      budget--;
      const step = iter.next();
      if (isThenable(step)) {
        this.pendingStep = step;
        return ASYNC_STEP;
      }
      if (step.done) return SOURCE_ENDED;
      this.emitSource(step.value);
      if (host.finished) return SOURCE_ENDED;
    }
    return BATCH_DONE;
  }

  /** Blocks every output can take now (credit, or unbounded for drop policies and closed consumers). */
  private sendBudget(): number {
    let budget = Infinity;
    for (const o of this.outputs) {
      const b = o.budget;
      if (b < budget) budget = b;
    }
    return budget;
  }

  /** A plain run() source: called again and again (a promise is awaited) until it returns undefined. */
  private async callPlainSource(first: unknown): Promise<void> {
    const job = this.job;
    let value = first;
    let firstCall = true;
    let batch = 0;
    for (;;) {
      if (this.allOutputsClosed) break;
      // Any output change wakes us (credit on one port while another still holds a sent array): check again.
      while (this.sendBudget() === 0 && !this.allOutputsClosed) await new Promise<void>((r) => (this.creditWaiter = r));
      if (this.allOutputsClosed) break;
      if (!firstCall) value = (job.run as () => unknown)();
      firstCall = false;
      if (isThenable(value)) {
        if (this.timed) this.busySince = Date.now();
        value = await value;
        this.busySince = 0;
      }
      if (value === undefined) break;
      this.emitSource(value);
      if (this.host.finished) break;
      if (++batch >= SOURCE_BATCH) {
        batch = 0;
        await new Promise<void>((r) => setImmediate(r));
      }
    }
  }

  private emitSource(value: unknown): void {
    this.rounds++;
    const sqn = ++this.outSqn;
    const host = this.host;
    const base = host.head === undefined ? 0 : host.head.value;
    let head = base & ~this.bits.reset;
    if (this.resetNext) {
      head |= this.bits.reset;
      this.resetNext = false;
    }
    if (host.finished) head |= this.bits.finished;
    this.send(sqn, head >>> 0, value, head >>> 0);
    this.roundsDoneThrough = sqn;
  }

  // ---- connectors and sinks ------------------------------------------------------------------

  /**
   * The in-order fast path of a job with one sync input of block_count 1 (forwards, sinks, most
   * connectors): runs the job on a block as soon as it is decoded, when the job is idle, nothing waits
   * before the block and every output can take one. Returns false when the block must be queued for
   * the pump instead (out of order, a reset, a busy or async job, no credit): the same rounds, in the
   * same order, either way.
   */
  runNow(sqn: number, wireHead: number, value: unknown): boolean {
    if (!this.singleBlock || this.busy || !this.started || this.done || this.outputsClosed) return false;
    if (!this.hasBudget()) {
      // No output can take a block: the caller queues this one, and the rest of the stream stays
      // unread (bytes, not decoded values) until credit lets the pump run again.
      this.inputHeld = true;
      this.syncPorts[0]!.hold();
      return false;
    }
    const assembler = this.assembler!;
    const roundHead = assembler.takeInOrder(sqn, wireHead, value);
    if (roundHead < 0) return false;
    this.budget--;
    this.busy = true;
    try {
      this.prepareRound(assembler.heads);
      const result = (this.job.run as (v: unknown) => unknown).call(this.job, value);
      if (this.roundDone(sqn, roundHead, result)) return true;
    } catch (err) {
      this.fail(err, 'run');
    }
    this.busy = false;
    return true;
  }

  /** Blocks the outputs can take before the budget is read again: counted down per round, never above the truth. */
  private budget = 0;

  /** Every output can take a block now (the counted-down budget, read again only when it runs out). */
  private hasBudget(): boolean {
    return this.budget > 0 || (this.budget = this.sendBudget()) > 0;
  }
  /** runNow() held the input for lack of output budget: the pump releases it once there is budget again. */
  private inputHeld = false;

  private pump(): void {
    if (!this.started || this.busy || this.done || this.isSource) return;
    this.busy = true;
    try {
      for (;;) {
        if (!this.hasBudget()) break;
        if (this.done) break;
        if (this.allOutputsClosed) {
          this.busy = false;
          void this.finish();
          return;
        }
        let result: unknown;
        let sqn: number;
        let roundHead: number;
        if (this.assembler !== undefined) {
          const round = this.assembler.next();
          if (round === null) break;
          sqn = round.sqn;
          roundHead = round.head;
          this.prepareRound(round.heads);
          result = this.callRun(round.payloads);
        } else {
          if (this.triggers === 0) break;
          this.triggers--;
          sqn = ++this.outSqn;
          roundHead = this.resetNext ? this.bits.reset : 0;
          this.resetNext = false;
          this.prepareRound([]);
          result = this.callRun(undefined);
        }
        this.budget--;
        if (this.roundDone(sqn, roundHead, result)) {
          this.returnCredit();
          return;
        }
      }
    } catch (err) {
      this.fail(err, 'run');
      return;
    }
    this.busy = false;
    this.returnCredit();
    if (this.inputsExhausted) void this.finish();
    else if (this.inputHeld && !this.done && this.hasBudget()) {
      // last: reading on delivers blocks to runNow() at once, and may come back here
      this.inputHeld = false;
      this.syncPorts[0]!.release();
    }
  }

  /**
   * run() returned: the round counts, and its result is sent now, or once an async run() settles (then
   * it returns true: the job stays busy meanwhile).
   */
  private roundDone(sqn: number, roundHead: number, result: unknown): boolean {
    this.rounds++;
    if (!isThenable(result)) {
      this.afterRun(sqn, roundHead, result);
      return false;
    }
    this.awaitRun(result, sqn, roundHead);
    return true;
  }

  /** An async run(): the job stays busy (blocks queue up) until it settles, then the pump goes on. */
  private awaitRun(result: PromiseLike<unknown>, sqn: number, roundHead: number): void {
    if (this.timed) this.busySince = Date.now();
    result.then(
      (v) => {
        this.busySince = 0;
        try {
          this.afterRun(sqn, roundHead, v);
        } catch (err) {
          this.fail(err, 'run');
          return;
        }
        this.busy = false;
        this.pump();
      },
      (err) => this.fail(err, 'run'),
    );
  }

  private get inputsExhausted(): boolean {
    if (this.assembler !== undefined) return this.assembler.done;
    if (this.triggers > 0) return false;
    for (const p of this.optionalPorts) if (!p.ended) return false;
    return true;
  }

  private prepareRound(heads: number[][]): void {
    const host = this.host;
    host.heads = heads;
    host.inHeadsView = undefined;
    host.head = undefined;
  }

  private callRun(payloads: unknown[][] | undefined): unknown {
    if (this.singleBlock) return (this.job.run as (v: unknown) => unknown).call(this.job, payloads![0]![0]);
    const args = this.args;
    const syncArg = this.syncArg;
    for (let p = 0; p < args.length; p++) {
      const i = syncArg[p]!;
      if (i >= 0) {
        const slots = payloads![i]!;
        args[p] = this.groupedArg[p] ? slots.slice() : slots[0];
      } else {
        args[p] = this.optionals[this.optionalArg[p]!]!.read();
      }
    }
    return (this.job.run as (...a: unknown[]) => unknown).apply(this.job, args);
  }

  private afterRun(sqn: number, roundHead: number, result: unknown): void {
    const host = this.host;
    if (this.outputs.length > 0) {
      let head = host.head === undefined ? roundHead : host.head.value;
      // MARVELO's head rules: the job cannot clear corrupted, cannot touch reset, may add finished.
      head = connectorHead(head, roundHead, this.bits);
      if (host.finished) head = (head | this.bits.finished) >>> 0;
      this.send(sqn, head >>> 0, result, roundHead);
    }
    this.roundsDoneThrough = sqn;
    if (host.finished) {
      this.done = true;
      void this.finish();
    }
  }

  private send(sqn: number, head: number, result: unknown, roundHead: number): void {
    const outs = this.outputs;
    const job = this.job;
    if (job.outHeads.length === 0 && !(result instanceof Outputs)) {
      // the common case: one value for every output, with the round's head
      for (let i = 0; i < outs.length; i++) outs[i]!.send(sqn, head, result);
      return;
    }
    let values: unknown[] | undefined;
    if (result instanceof Outputs) {
      values = result.values;
      if (values.length !== outs.length) {
        throw new MarveloError(
          'MRV_JOB_API',
          `out() was given ${values.length} value(s) but the job has ${outs.length} output(s)`,
          { job: job.name, hint: 'pass one value per output, in the order of `outputs:`; return a plain value to send it to every output' },
        );
      }
    }
    const overrides = job.outHeads;
    for (let i = 0; i < outs.length; i++) {
      let h = head;
      const o = overrides.length > 0 ? overrides[i] : undefined;
      if (o !== undefined) {
        // An override obeys the same rule as the job's head (finish() counts as the round's finished).
        const round = this.host.finished ? roundHead | this.bits.finished : roundHead;
        h = connectorHead(typeof o === 'number' ? o : o.value, round, this.bits);
      }
      outs[i]!.send(sqn, h, values ? values[i] : result);
    }
    if (overrides.length > 0) overrides.length = 0;
  }

  private returnCredit(): void {
    for (const port of this.syncPorts) port.drained();
  }

  // ---- the end -------------------------------------------------------------------------------

  private finishing: Promise<void> | undefined;
  private finish(): Promise<void> {
    this.done = true;
    this.finishing ??= (async () => {
      try {
        await this.job.teardown();
      } catch (err) {
        this.fail(err, 'run');
        return;
      }
      await Promise.all(this.outputs.map((o) => o.end()));
      await Promise.all([...this.syncPorts, ...this.optionalPorts].map((p) => p.close()));
      this.cb.finished();
    })().catch((err) => this.fail(err, 'wire'));
    return this.finishing;
  }

  private fail(err: unknown, phase: 'setup' | 'run' | 'wire'): void {
    if (this.failed) return;
    this.failed = true;
    this.done = true;
    this.cb.failed(err, phase);
  }
  private failed = false;
}

const CLOSED = Symbol('all outputs closed');

/** How emitBatch stopped. */
const BATCH_DONE = 0;
const NO_CREDIT = 1;
const ASYNC_STEP = 2;
const SOURCE_ENDED = 3;
type BatchOutcome = typeof BATCH_DONE | typeof NO_CREDIT | typeof ASYNC_STEP | typeof SOURCE_ENDED;

function isThenable(x: unknown): x is PromiseLike<unknown> {
  return x !== null && (typeof x === 'object' || typeof x === 'function') && typeof (x as { then?: unknown }).then === 'function';
}

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

