import type { ReplicaRole } from '../config/types.js';
import { RelayHost, type RelayStep } from './relay-host.js';
import type { HostContext } from './host.js';
import type { OutputPort } from './output-port.js';

/**
 * The splitter in front of a job's replicas (config/replicas.ts). It assembles the job's rounds with
 * the job's own inputs, exactly as one worker of the job would (sync rules, dummies, resets, one read
 * of each optional input per round), and hands each round whole to one replica: every block of it, with
 * its own head, on that replica's copy of each input. Replicas take turns (order: sqn); with order: any
 * a round goes to the next replica that has room for it.
 *
 * Each replica's pipes are numbered densely by the splitter, so a replica sees an ordinary stream; the
 * merger knows whose turn each round was, so the round numbers never travel.
 */
export class SplitHost extends RelayHost {
  private readonly count: number;
  private readonly anyOrder: boolean;
  /** The job's inputs: replica r's copy of input j is output r * inputs + j. */
  private readonly inputs: number;
  /** Blocks one round puts on each input's copy: its block_count, 1 for an optional input. */
  private readonly blocksPer: number[];
  /** Per job input: its sync input index, or -1 when it is optional (then optionalOf). */
  private readonly syncOf: number[];
  private readonly optionalOf: number[];
  /** Last SQN sent on each output. */
  private readonly sent: number[];
  private turn = 0;
  /** Acknowledgements: the outputs keep what they sent until the replicas processed it (a restartable replica). */
  private readonly replays: boolean;
  /** Rounds sent and not yet known processed: who took each, and its round number. */
  private readonly routeReplica: number[] = [];
  private readonly routeSqn: number[] = [];
  private routeFirst = 0;
  /** Per replica: rounds of it found processed so far. */
  private readonly processedOf: number[];
  private processedSqn = 0;

  constructor(ctx: HostContext, role: ReplicaRole) {
    super(ctx);
    this.count = role.count;
    this.anyOrder = role.order === 'any';
    this.inputs = ctx.argSources.length;
    this.syncOf = ctx.argSources.map((s) => ('sync' in s ? s.sync : -1));
    this.optionalOf = ctx.argSources.map((s) => ('optional' in s ? s.optional : -1));
    this.blocksPer = ctx.inputs.map((p) => (p.optional === undefined ? p.blockCount : 1));
    this.sent = ctx.outputPorts.map(() => 0);
    this.replays = ctx.outputPorts.some((o) => o.replay !== undefined);
    this.processedOf = new Array<number>(this.count).fill(0);
  }

  protected step(): RelayStep {
    const replica = this.nextReplica();
    return replica >= 0 && this.sendRound(replica) ? 'moved' : 'wait';
  }

  protected get drained(): boolean {
    return this.inputsExhausted;
  }

  /** Whose turn it is, or -1 when no replica may take a round now. */
  private nextReplica(): number {
    if (!this.anyOrder) return this.hasRoom(this.turn) ? this.turn : -1;
    for (let k = 0; k < this.count; k++) {
      const r = (this.turn + k) % this.count;
      if (this.hasRoom(r)) return r;
    }
    return -1;
  }

  private hasRoom(replica: number): boolean {
    const outs = this.outputPorts;
    for (let j = 0; j < this.inputs; j++) if (outs[replica * this.inputs + j]!.budget < this.blocksPer[j]!) return false;
    return true;
  }

  /** The next round, whole, to `replica`; false when no round is complete yet. */
  private sendRound(replica: number): boolean {
    let sqn: number;
    let payloads: unknown[][] | undefined;
    let heads: number[][] | undefined;
    if (this.assembler !== undefined) {
      const round = this.assembler.next();
      if (round === null) return false;
      sqn = round.sqn;
      payloads = round.payloads;
      heads = round.heads;
    } else {
      sqn = this.takeTrigger();
      if (sqn === 0) return false;
    }
    const outs = this.outputPorts;
    for (let j = 0; j < this.inputs; j++) {
      const at = replica * this.inputs + j;
      const port: OutputPort = outs[at]!;
      const s = this.syncOf[j]!;
      if (s >= 0) {
        const values = payloads![s]!;
        const blockHeads = heads![s]!;
        for (let b = 0; b < values.length; b++) port.send(++this.sent[at]!, blockHeads[b]!, values[b]);
      } else {
        // An optional input has no head of its own: a round head is the OR of the sync inputs' heads.
        const head = this.assembler === undefined ? this.triggerHead(sqn) : 0;
        port.send(++this.sent[at]!, head, this.optionals[this.optionalOf[j]!]!.read());
      }
    }
    this.rounds++;
    this.roundsDoneThrough = sqn;
    if (this.replays) {
      this.routeReplica.push(replica);
      this.routeSqn.push(sqn);
    }
    this.turn = (replica + 1) % this.count;
    return true;
  }

  /** Every block of the rounds every replica processed, in order (processedRound). */
  override processedThrough(i: number): number {
    return this.processedRound() * this.syncPorts[i]!.spec.blockCount;
  }

  /** The last round every replica processed, in order: a round counts once its replica acknowledged each of its blocks. */
  private processedRound(): number {
    if (!this.replays) return this.roundsDoneThrough;
    while (this.routeFirst < this.routeReplica.length) {
      const r = this.routeReplica[this.routeFirst]!;
      if (this.processedOf[r]! >= this.roundsAcknowledgedBy(r)) break;
      this.processedOf[r]!++;
      this.processedSqn = this.routeSqn[this.routeFirst]!;
      this.routeFirst++;
    }
    if (this.routeFirst > 4096 && this.routeFirst * 2 > this.routeReplica.length) {
      this.routeReplica.splice(0, this.routeFirst);
      this.routeSqn.splice(0, this.routeFirst);
      this.routeFirst = 0;
    }
    return this.processedSqn;
  }

  /** Rounds `replica` acknowledged on every one of its inputs. */
  private roundsAcknowledgedBy(replica: number): number {
    let rounds = Infinity;
    for (let j = 0; j < this.inputs; j++) {
      const acked = Math.floor(this.outputPorts[replica * this.inputs + j]!.ackedThrough / this.blocksPer[j]!);
      if (acked < rounds) rounds = acked;
    }
    return rounds;
  }
}
