import { HOST, type ScriptJob } from '../jobs/script-job.js';
import { HostLifecycle } from './host-lifecycle.js';
import type { HostContext } from './host.js';
import { OutputFanOut } from './output-fan-out.js';
import { isThenable } from './thenable.js';

/**
 * The rounds of a ScriptJob with inputs (connectors and sinks): one run() per round assembled from the
 * sync inputs (or triggered by an optional one), its result out through the fan-out. Runs only while
 * every lossless output has credit, so backpressure reaches the producers. JobHost builds on it.
 */
export abstract class RoundDriver extends HostLifecycle {
  protected readonly job: ScriptJob;
  /** The job's host state (a symbol property): read once, not per round. */
  protected readonly host: ScriptJob[typeof HOST];
  protected readonly out: OutputFanOut;
  /** The job has a `timeout:`: only then are its awaits marked (busySince), so others pay nothing. */
  protected readonly timed: boolean;
  readonly isSource: boolean;
  private readonly hasOutputs: boolean;
  /** One sync input of block_count 1 (forward, sink): run(value) without building an argument list. */
  private readonly singleBlock: boolean;
  private readonly args: unknown[];
  /** Per run() argument, decided once: its sync input (or -1), whether grouped, its optional input (or -1). */
  private readonly syncArg: number[];
  private readonly groupedArg: boolean[];
  private readonly optionalArg: number[];
  private busy = false;
  /** Blocks the outputs can take before the budget is read again: counted down per round, never above the truth. */
  private budget = 0;
  /** runNow() held the input for lack of output budget: the pump releases it once there is budget again. */
  private inputHeld = false;

  constructor(job: ScriptJob, ctx: HostContext) {
    super(ctx);
    this.job = job;
    this.timed = ctx.spec.timeoutMs !== undefined;
    const argSources = ctx.argSources;
    this.isSource = argSources.length === 0;
    this.hasOutputs = ctx.outputPorts.length > 0;
    this.args = new Array(argSources.length);
    const host = job[HOST];
    host.headSize = ctx.spec.headSize;
    host.grouped = argSources.map((s) => 'sync' in s && s.grouped);
    this.host = host;
    this.out = new OutputFanOut(job, host, ctx.outputPorts, this.bits);
    this.syncArg = argSources.map((s) => ('sync' in s ? s.sync : -1));
    this.groupedArg = argSources.map((s) => 'sync' in s && s.grouped);
    this.optionalArg = argSources.map((s) => ('optional' in s ? s.optional : -1));
    const only = argSources[0];
    this.singleBlock = argSources.length === 1 && only !== undefined && 'sync' in only && !only.grouped;
  }

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
      this.prepareRound(assembler.heads, sqn);
      const result = (this.job.run as (v: unknown) => unknown).call(this.job, value);
      if (this.roundDone(sqn, roundHead, result)) return true;
    } catch (err) {
      this.fail(err, 'run');
    }
    this.busy = false;
    return true;
  }

  /**
   * An output's credit changed other than by our sends (a consumer replaced or gone): the counted-down
   * budget may be above the truth now, so it is read again before the next round.
   */
  protected budgetChanged(): void {
    this.budget = 0;
  }

  /** Every output can take a block now (the counted-down budget, read again only when it runs out). */
  private hasBudget(): boolean {
    return this.budget > 0 || (this.budget = this.out.budget()) > 0;
  }

  protected pump(): void {
    if (!this.started || this.busy || this.done || this.isSource) return;
    this.busy = true;
    try {
      for (;;) {
        if (!this.hasBudget()) break;
        if (this.done) break;
        if (this.outputsClosed) {
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
          this.prepareRound(round.heads, sqn);
          result = this.callRun(round.payloads);
        } else {
          sqn = this.takeTrigger();
          if (sqn === 0) break;
          roundHead = this.triggerHead(sqn);
          this.prepareRound([], sqn);
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

  private prepareRound(heads: number[][], sqn: number): void {
    const host = this.host;
    host.heads = heads;
    host.sqn = sqn;
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

  /** The round's result goes out; the round is done through the outputs (roundsDoneThrough). */
  private afterRun(sqn: number, roundHead: number, result: unknown): void {
    if (this.hasOutputs) this.out.sendRound(sqn, roundHead, result);
    this.roundsDoneThrough = sqn;
    if (this.host.finished) {
      this.done = true;
      void this.finish();
    }
  }
}
