import { Outputs } from '../jobs/outputs.js';
import type { HostState, ScriptJob } from '../jobs/script-job.js';
import { connectorHead, type ReservedBits } from '../sync/head-rules.js';
import { MarveloError } from '../errors.js';
import type { OutputPort } from './output-port.js';

/**
 * What a ScriptJob produced, out to its output ports with MARVELO's head rules: one value for every
 * output, or one per output (out()), each with the round's head or the job's override.
 */
export class OutputFanOut {
  /** The next block a source emits starts a stream (or follows a reset): it carries the reset bit. */
  private resetNext = true;

  constructor(
    private readonly job: ScriptJob,
    private readonly host: HostState,
    private readonly outs: OutputPort[],
    private readonly bits: ReservedBits,
  ) {}

  /** Blocks every output can take now (credit, or unbounded for drop policies and closed consumers). */
  budget(): number {
    let budget = Infinity;
    for (const o of this.outs) {
      const b = o.budget;
      if (b < budget) budget = b;
    }
    return budget;
  }

  /** The stream goes on (a restarted source): its next block does not start a stream. */
  continueStream(): void {
    this.resetNext = false;
  }

  /** A source's value: the job's head without reset (set on the first block only), finished once finish() was called. */
  sendSource(sqn: number, value: unknown): void {
    const host = this.host;
    const base = host.head === undefined ? 0 : host.head.value;
    let head = base & ~this.bits.reset;
    if (this.resetNext) {
      head |= this.bits.reset;
      this.resetNext = false;
    }
    if (host.finished) head |= this.bits.finished;
    this.send(sqn, head >>> 0, value, head >>> 0);
  }

  /** A round's result (the job has outputs): the job cannot clear corrupted, cannot touch reset, may add finished. */
  sendRound(sqn: number, roundHead: number, result: unknown): void {
    const host = this.host;
    let head = host.head === undefined ? roundHead : host.head.value;
    head = connectorHead(head, roundHead, this.bits);
    if (host.finished) head = (head | this.bits.finished) >>> 0;
    this.send(sqn, head >>> 0, result, roundHead);
  }

  private send(sqn: number, head: number, result: unknown, roundHead: number): void {
    const outs = this.outs;
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
}
