import type { ReplicaRole } from '../config/types.js';
import { BlockQueue } from '../sync/block-queue.js';
import { RelayHost, type RelayStep } from './relay-host.js';
import type { HostContext } from './host.js';
import type { InputSink } from './input-port.js';

/**
 * The merger behind a job's replicas (config/replicas.ts): one result of each replica at a time, on
 * every output of the job, renumbered as one worker of the job would number them.
 *
 * - A connector's replicas took the rounds in turns (SplitHost), so taking their results in the same
 *   turns restores the round order: downstream sees the stream one worker makes, values, heads and
 *   SQNs alike (a round with the reset bit restarts the numbering at 1, as the job's would).
 * - A source's replicas are interleaved in turns too, skipping one whose stream ended; the stream
 *   starts (reset bit) once, and carries *finished* only from the last replica still running.
 * - order: any takes whichever replica has a result ready, numbered densely as one new stream (reset
 *   on its first result only).
 *
 * Input r * outputs + j is replica r's copy of output j.
 */
export class MergeHost extends RelayHost {
  private readonly count: number;
  private readonly outputs: number;
  private readonly anyOrder: boolean;
  private readonly source: boolean;
  private readonly queues: BlockQueue<unknown>[];
  private turn = 0;
  private outSqn = 0;
  /** Per input: SQN of the last block passed on. */
  private readonly taken: number[];
  /** Acknowledgements when the outputs keep what they sent (a restartable consumer): what each emitted SQN took. */
  private readonly replays: boolean;
  private readonly logOut: number[] = [];
  private readonly logReplica: number[] = [];
  /** The replica's own SQN of what was taken (one per round on each of its outputs). */
  private readonly logTaken: number[] = [];
  private logFirst = 0;
  /** Per input: SQN of the last block whose result the consumers acknowledged. */
  private readonly processed: number[];

  constructor(ctx: HostContext, role: ReplicaRole, queues: BlockQueue<unknown>[]) {
    super(ctx);
    this.count = role.count;
    this.outputs = ctx.outputPorts.length;
    this.anyOrder = role.order === 'any';
    this.source = role.shape === 'source';
    this.queues = queues;
    this.taken = queues.map(() => 0);
    this.processed = queues.map(() => 0);
    this.replays = ctx.outputPorts.some((o) => o.replay !== undefined);
  }

  /** What input `i`'s port feeds: its queue here. */
  static sink(queues: BlockQueue<unknown>[], i: number, host: () => MergeHost | undefined): InputSink {
    const queue = queues[i]!;
    return {
      block: (sqn, head, value) => queue.push(sqn, head, value),
      arrived: () => host()?.onInput(),
      end: () => host()?.onInputEnd(),
      queued: () => queue.length,
    };
  }

  protected step(): RelayStep {
    for (const o of this.outputPorts) if (o.budget < 1) return 'wait';
    const replica = this.nextReplica();
    if (replica === WAIT) return 'wait';
    if (replica === ENDED) return 'end';
    this.emit(replica);
    return 'moved';
  }

  /** The merger's end is a step's to find (ENDED): every replica's stream ran out. */
  protected get drained(): boolean {
    return false;
  }

  /** The replica whose result goes out next, WAIT until one arrives, or ENDED when no more will. */
  private nextReplica(): number {
    if (!this.anyOrder && !this.source) {
      if (this.ready(this.turn)) return this.turn;
      return this.exhausted(this.turn) ? ENDED : WAIT;
    }
    let waiting = false;
    for (let k = 0; k < this.count; k++) {
      const r = (this.turn + k) % this.count;
      if (this.ready(r)) return r;
      if (!this.exhausted(r)) {
        // in sqn order a source's turn waits for the replica whose turn it is
        if (!this.anyOrder) return WAIT;
        waiting = true;
      }
    }
    return waiting ? WAIT : ENDED;
  }

  /** A result of `replica` is here on every output. */
  private ready(replica: number): boolean {
    for (let j = 0; j < this.outputs; j++) if (this.queues[replica * this.outputs + j]!.length === 0) return false;
    return true;
  }

  /** `replica` will send nothing more: one of its outputs ended with nothing left queued. */
  private exhausted(replica: number): boolean {
    const ports = this.syncPorts;
    for (let j = 0; j < this.outputs; j++) {
      const i = replica * this.outputs + j;
      if (this.queues[i]!.length === 0 && ports[i]!.ended) return true;
    }
    return false;
  }

  private emit(replica: number): void {
    const first = this.queues[replica * this.outputs]!;
    const bits = this.bits;
    // In turns, a connector's results keep their SQNs: a reset restarts the count, as the job's would.
    // Otherwise (a source's streams, or order: any) the merged stream is one new stream: it starts once.
    const ownStream = this.source || this.anyOrder;
    const resetting = ownStream ? this.outSqn === 0 : (first.firstHead() & bits.reset) !== 0;
    const sqn = resetting || this.outSqn === 0 ? 1 : this.outSqn + 1;
    const lastRunning = this.source && this.othersExhausted(replica);
    for (let j = 0; j < this.outputs; j++) {
      const i = replica * this.outputs + j;
      const queue = this.queues[i]!;
      let head = queue.firstHead();
      if (ownStream) head = resetting ? head | bits.reset : head & ~bits.reset;
      if (this.source && !lastRunning) head &= ~bits.finished;
      this.taken[i] = queue.firstSqn();
      this.outputPorts[j]!.send(sqn, head >>> 0, queue.firstPayload());
      queue.shift();
    }
    this.outSqn = sqn;
    this.rounds++;
    this.roundsDoneThrough = sqn;
    if (this.replays) {
      this.logOut.push(sqn);
      this.logReplica.push(replica);
      this.logTaken.push(this.taken[replica * this.outputs]!);
    }
    this.turn = (replica + 1) % this.count;
  }

  private othersExhausted(replica: number): boolean {
    for (let r = 0; r < this.count; r++) if (r !== replica && !this.exhausted(r)) return false;
    return true;
  }

  /**
   * The last SQN of input `i` that is processed: passed on, and, when the consumers acknowledge what
   * they process, acknowledged by them (the worker acknowledges the input through it).
   */
  override processedThrough(i: number): number {
    if (!this.replays) return this.taken[i]!;
    let acked = Infinity;
    for (const o of this.outputPorts) if (o.replay !== undefined && o.ackedThrough < acked) acked = o.ackedThrough;
    while (this.logFirst < this.logOut.length && this.logOut[this.logFirst]! <= acked) {
      const r = this.logReplica[this.logFirst]!;
      for (let j = 0; j < this.outputs; j++) this.processed[r * this.outputs + j] = this.logTaken[this.logFirst]!;
      this.logFirst++;
    }
    if (this.logFirst > 4096 && this.logFirst * 2 > this.logOut.length) {
      for (const log of [this.logOut, this.logReplica, this.logTaken]) log.splice(0, this.logFirst);
      this.logFirst = 0;
    }
    return this.processed[i]!;
  }
}

const WAIT = -1;
const ENDED = -2;
