import { reservedBits, type ReservedBits } from '../sync/head-rules.js';
import type { Host, HostContext } from './host.js';

/**
 * The part of a job's life every host (JobHost, ExecHost) lives the same way: rounds triggered by
 * optional inputs, credit returned to the sync inputs, and the end. A normal end goes in one order:
 * the job's own teardown, then every output ends, then every input closes, then the worker hears
 * finished. A failure is reported once; after it the host sends nothing more and ends no stream.
 */
export abstract class HostLifecycle implements Host {
  rounds = 0;
  roundsDoneThrough = 0;
  busySince = 0;
  /** Every consumer has closed: kept up to date by outputsChanged(), never scanned per round. */
  outputsClosed = false;
  protected started = false;
  /** No round runs any more: the host is finishing, finished or failed. */
  protected done = false;
  protected failed = false;
  /** Rounds triggered by optional inputs (a job with only optional inputs) not yet run. */
  protected triggers = 0;
  private triggerSqn = 0;
  private finishing: Promise<void> | undefined;
  protected readonly bits: ReservedBits;
  protected readonly syncPorts: HostContext['syncPorts'];
  protected readonly assembler: HostContext['assembler'];
  protected readonly optionalPorts: HostContext['optionalPorts'];
  protected readonly optionals: HostContext['optionals'];
  protected readonly outputPorts: HostContext['outputPorts'];
  protected readonly callbacks: HostContext['callbacks'];

  constructor(ctx: HostContext) {
    this.bits = reservedBits(ctx.spec.headSize);
    this.syncPorts = ctx.syncPorts;
    this.assembler = ctx.assembler;
    this.optionalPorts = ctx.optionalPorts;
    this.optionals = ctx.optionals;
    this.outputPorts = ctx.outputPorts;
    this.callbacks = ctx.callbacks;
  }

  abstract start(): void;
  abstract runNow(sqn: number, wireHead: number, value: unknown): boolean;
  abstract onOutputChange(): void;
  abstract dispose(): void;
  /** Runs every round that can run now. */
  protected abstract pump(): void;
  /** The job's own end, before its streams end: ScriptJob.teardown(), or stopping the program. */
  protected abstract teardown(): void | Promise<void>;
  /** A failure: let go of what the job holds before the worker hears of it. */
  protected released(): void {}

  onInput(): void {
    this.pump();
  }

  onOptionalInput(): void {
    if (this.assembler === undefined) this.triggers++;
    this.pump();
  }

  onInputEnd(): void {
    this.pump();
  }

  /**
   * The SQN of the next round triggered by an optional input (a job without sync inputs), or 0 when
   * none is waiting. Such rounds are numbered 1, 2, ...; the first starts the stream (triggerHead).
   */
  protected takeTrigger(): number {
    if (this.triggers === 0) return 0;
    this.triggers--;
    return ++this.triggerSqn;
  }

  protected triggerHead(sqn: number): number {
    return sqn === 1 ? this.bits.reset : 0;
  }

  /** No round will follow: every sync input ended, or every optional one ended with no trigger left. */
  protected get inputsExhausted(): boolean {
    if (this.assembler !== undefined) return this.assembler.done;
    if (this.triggers > 0) return false;
    for (const p of this.optionalPorts) if (!p.ended) return false;
    return true;
  }

  /**
   * The blocks of every round whose run() has completed and whose outputs the consumers of restartable
   * pipes acknowledged in turn, so that a restart anywhere downstream can still be fed from the replay
   * buffers (DESIGN 7).
   */
  processedThrough(i: number): number {
    let round = this.roundsDoneThrough;
    for (const o of this.outputPorts) if (o.replay !== undefined && o.ackedThrough < round) round = o.ackedThrough;
    return round * this.syncPorts[i]!.spec.blockCount;
  }

  /** Credit for what the rounds took goes back to the producers. */
  protected returnCredit(): void {
    for (const port of this.syncPorts) port.drained();
  }

  /** Credit arrived or a consumer closed: updates outputsClosed and returns it. */
  protected outputsChanged(): boolean {
    const outs = this.outputPorts;
    let closed = outs.length > 0;
    for (let i = 0; closed && i < outs.length; i++) if (!outs[i]!.closedByPeer) closed = false;
    this.outputsClosed = closed;
    return closed;
  }

  /** The normal end, once (later calls share it): teardown, outputs end, inputs close, finished. */
  protected finish(): Promise<void> {
    this.done = true;
    if (this.failed) return Promise.resolve();
    this.finishing ??= this.endInOrder().catch((err: unknown) => this.fail(err, 'wire'));
    return this.finishing;
  }

  private async endInOrder(): Promise<void> {
    try {
      await this.teardown();
    } catch (err) {
      this.fail(err, 'run');
      return;
    }
    await Promise.all(this.outputPorts.map((o) => o.end()));
    await Promise.all([...this.syncPorts, ...this.optionalPorts].map((p) => p.close()));
    if (!this.failed) this.callbacks.finished();
  }

  protected fail(err: unknown, phase: 'setup' | 'run' | 'wire'): void {
    if (this.failed) return;
    this.failed = true;
    this.done = true;
    this.released();
    this.callbacks.failed(err, phase);
  }
}
