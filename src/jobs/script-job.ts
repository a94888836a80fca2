import { Head } from '../sync/head.js';
import type { PortType } from './ports.js';

/** Internal state the job host writes; kept on a symbol so job authors never collide with it. */
export const HOST = Symbol('marvelo.host');

export interface HostState {
  finished: boolean;
  /** Raw input heads of the current round: [input][slot] (job head size). */
  heads: number[][];
  /** Inputs whose pipe has block_count > 1 (their heads are arrays). */
  grouped: boolean[];
  headSize: number;
  /** Lazily built Head views of `heads`, dropped at every round. */
  inHeadsView: (Head | Head[])[] | undefined;
  head: Head | undefined;
  /** Items the client sends to this job; set by the worker. */
  feed: AsyncIterable<unknown> | undefined;
}

/**
 * Base class of every script job. Override `run` (and optionally `setup`).
 *
 * - no inputs: a source. `run` may be a generator (sync or async): every yielded value is one block and
 *   returning finishes the job. A plain `run()` is called again and again; returning `undefined` finishes.
 * - inputs: `run(a, b, ...)` is called once per round with one value per input (an array of n values when
 *   the pipe has block_count n). The return value goes to every output; `out(x, y)` sends one per output.
 */
export abstract class ScriptJob<P extends object = Record<string, unknown>> {
  /** Placement groups, highest priority first. The network file's `groups` overrides. */
  static GROUPS?: string | string[];
  static DEFAULT_NODE?: string;
  static MAX_QUEUE?: number;
  /** Heads are always visible to script jobs; HEAD matters for executables' streams. */
  static HEAD?: boolean;
  static HEAD_SIZE?: number;
  static DEPENDENCIES?: string | string[];
  /** Declared port types, in input / output order. */
  static INPUTS?: readonly PortType[];
  static OUTPUTS?: readonly PortType[];
  /**
   * The job borrows its `bytes` and typed-array inputs: run() gets views of the runtime's read buffer,
   * valid only until run() returns (an async run() copies what it needs before its first await), and
   * the runtime reads every block into the same memory instead of fresh memory per block. A value
   * returned or passed to out() is copied on its way out. Blocks that wait in a queue are copies.
   */
  static BORROW?: boolean;
  /**
   * The job never changes an array or buffer after sending it (it sends new ones, or the same one
   * unchanged): large `bytes` and typed-array payloads may then wait in the socket while the job goes
   * on. Without it, the job does not run again until the kernel has taken each such payload, so a job
   * that refills one array for every block cannot change a block on its way.
   */
  static FRESH_OUTPUTS?: boolean;
  /**
   * The job keeps nothing from one run() to the next that a restart would lose (`on_failure: restart`):
   * a restarted worker computes the same outputs from the same inputs. Without it, a restart is allowed
   * but the run record says the job's state was lost.
   */
  static STATELESS?: boolean;

  /**
   * A source that can be restarted (`on_failure: restart`) defines seek(sqn): make the next value the
   * one after the stream's block `sqn` (block 1 is the first value ever produced). A restarted source
   * is called with the last block every consumer holds, so its stream goes on without a gap or a
   * duplicate. A source without it cannot have `on_failure: restart`.
   */
  seek?(sqn: number): void | Promise<void>;

  /** Parameters from the network file (`params:`). */
  params: P = {} as P;
  /** The job's name in the network. */
  name = '';
  /**
   * With `replicas: N`, this worker's index (0..N-1) and N; else 0 and 1. A replicated source or sink
   * partitions its work by them (e.g. every N-th file, starting at the replica-th).
   */
  replica = 0;
  replicas = 1;
  /** Names of the job's input pipes, in run() argument order. */
  inputNames: readonly string[] = [];
  /** Names of the job's output pipes, in output order. */
  outputNames: readonly string[] = [];
  /** Per-output head override for the current round; reset after every write. */
  outHeads: (Head | number | undefined)[] = [];

  /** @internal */
  [HOST]: HostState = {
    finished: false,
    heads: [],
    grouped: [],
    headSize: 1,
    inHeadsView: undefined,
    head: undefined,
    feed: undefined,
  };

  /** Runs on the worker before the first run(). */
  setup(): void | Promise<void> {}

  abstract run(...inputs: never[]): unknown;

  /** Runs on the worker once after the last round (the job finished normally): close files, report. */
  teardown(): void | Promise<void> {}

  /** Heads of the current round's inputs (a Head[] for inputs with block_count > 1). */
  get inHeads(): (Head | Head[])[] {
    const h = this[HOST];
    if (h.inHeadsView === undefined) {
      h.inHeadsView = h.heads.map((slots, i) =>
        h.grouped[i] ? slots.map((v) => new Head(v, h.headSize)) : new Head(slots[0] ?? 0, h.headSize),
      );
    }
    return h.inHeadsView;
  }

  /** The head written to every output (default: headReduce() of the inputs). Mutable. */
  get head(): Head {
    const h = this[HOST];
    if (h.head === undefined) h.head = this.headReduce();
    return h.head;
  }
  set head(value: Head) {
    this[HOST].head = value;
  }

  /** Combines the input heads into this.head: bitwise OR by default. Override to change. */
  headReduce(): Head {
    const h = this[HOST];
    let v = 0;
    for (const slots of h.heads) for (const s of slots) v = (v | s) >>> 0;
    return new Head(v, h.headSize);
  }

  /** Ends a source after the current block: that block carries the finished bit. */
  finish(): void {
    this[HOST].finished = true;
  }

  /**
   * Items the client sends to this job while the network runs (lines typed into the console,
   * logging rows). Ends when the client ends the feed or the run ends. Meant for LOCAL jobs.
   */
  clientFeed(): AsyncIterable<unknown> {
    const feed = this[HOST].feed;
    if (feed === undefined) throw new Error('clientFeed() is only available inside a running worker');
    return feed;
  }

  /** True once finish() was called. */
  get finishing(): boolean {
    return this[HOST].finished;
  }
}

export type ScriptJobClass = (abstract new () => ScriptJob) & {
  GROUPS?: string | string[];
  DEFAULT_NODE?: string;
  MAX_QUEUE?: number;
  HEAD?: boolean;
  HEAD_SIZE?: number;
  DEPENDENCIES?: string | string[];
  INPUTS?: readonly PortType[];
  OUTPUTS?: readonly PortType[];
};

export function isScriptJobClass(x: unknown): x is ScriptJobClass {
  return typeof x === 'function' && x.prototype instanceof ScriptJob;
}
