import type { JobSpec, PipeSpec, TransportKind } from '../config/types.js';
import type { Address } from '../wire/types.js';

/**
 * Control plane: client <-> worker over the worker's stdin/stdout (a local pipe or an SSH exec channel).
 * Each message is one frame of kind CONTROL_FRAME whose body is msgpack. Messages are discriminated on `type`.
 */
export const CONTROL_FRAME = 0x10;

export interface RunInfo {
  id: string;
  /** Per-run secret that authenticates every data connection (32 bytes). */
  secret: Uint8Array;
  /** Folder for this worker's sockets and scratch files on its node. */
  dir: string;
  /**
   * How this worker listens for the consumers of its outputs: one listener per transport its output
   * pipes use (the plan decides: a Unix socket when both ends share a node, TCP otherwise).
   */
  listen: TransportKind[];
  /** Address a TCP listener binds: the node's own data address. */
  host: string;
  /** How often the worker reports metrics (ms). */
  metricsMs: number;
  /** How often a job marked `logging: true` sends a resource sample (ms). */
  loggingMs: number;
  /** 0 for the job's first worker; n for its n-th restart (it then resumes a running stream). */
  attempt: number;
}

export interface WorkerJob {
  spec: JobSpec;
  /** The pipes of spec.inputs and spec.outputs, same order. */
  inputs: PipeSpec[];
  outputs: PipeSpec[];
  /** Bundle file of the job module (script and builtin jobs), on the worker's node. */
  bundle: string | undefined;
  /** Bundle files of custom codec modules, by pipe name, on the worker's node. */
  codecBundles: Record<string, string>;
  /**
   * The job's own folder on its node, its dependencies already in it (made by the launcher): an
   * executable job's program runs there.
   */
  folder: string;
}

export type ClientMessage =
  | { type: 'init'; run: RunInfo; job: WorkerJob }
  /** Consumer side: where each input pipe's producer listens (the consumer dials). */
  | { type: 'connect'; inputs: Record<string, Address> }
  | { type: 'start' }
  /** A producer of some of the job's inputs was restarted: dial it at its new address (restartable pipes). */
  | { type: 'reconnect'; inputs: Record<string, Address> }
  /** Items for the job's client feed (console lines, logging rows): ScriptJob.clientFeed(). */
  | { type: 'feed'; items: unknown[] }
  | { type: 'feed-end' }
  | { type: 'stop'; reason: string };

export interface PipeCounters {
  /** Blocks sent (output) or received (input). */
  blocks: number;
  bytes: number;
  /** Blocks a drop policy discarded (counted at the producer). */
  dropped: number;
  /** Dummy blocks made for gaps (consumer). */
  dummies: number;
  /** Blocks discarded as older than expected (consumer). */
  stale: number;
  /** Blocks left at the end outside a complete round, or unread when the job ended (consumer). */
  incomplete: number;
  /** Values an optional input's full buffer discarded (consumer). */
  overflow: number;
  /** SQNs an optional input never received (the producer dropped them; an optional input has no dummies). */
  skipped: number;
  /** Blocks sent again to a restarted consumer from the replay buffer (producer; not in `blocks`). */
  replayed: number;
}

export interface WorkerStats {
  inputs: Record<string, PipeCounters>;
  outputs: Record<string, PipeCounters>;
  /** Rounds run (calls of run() or values generated). */
  rounds: number;
  /** Data connections refused: failed authentication or not expected. */
  refused: number;
  rss: number;
  maxRss: number;
  /** CPU time (user + system, ms) the worker process used since its job started. */
  cpuMs: number;
}

export interface JobFailure {
  message: string;
  stack: string | undefined;
  code: string | undefined;
  /** What would be right (a coded error's hint). */
  hint?: string;
  /** Where it happened: 'load' | 'setup' | 'run' | 'wire'. */
  phase: string;
  /** The exception's class name (err.name), when it was an Error. */
  name?: string;
  /** The exception's own `code` property (a string or number) when it is not a coded MarveloError. */
  errorCode?: string;
}

/**
 * One resource sample of a job marked `logging: true`: the columns of the logging CSV (docs/jobs.md).
 * Counts are totals since the job started; cpu, run time and interval cover the sample's interval.
 */
export interface LogSample {
  /** ISO 8601 time of the sample. */
  time: string;
  job: string;
  pid: number;
  /** CPU use of the worker process over the interval, % of one core. */
  cpu_percent: number;
  rss_bytes: number;
  /** Blocks received over every input pipe. */
  blocks_in: number;
  /** Blocks sent over every output pipe. */
  blocks_out: number;
  rounds: number;
  /** Time spent in run() during the interval (until its value was ready, awaits included). */
  run_ms: number;
  /** Length of the interval this sample covers. */
  interval_ms: number;
  /** The job's child process (executable jobs), else null. */
  child_pid: number | null;
  child_cpu_percent: number | null;
  child_rss_bytes: number | null;
}

export type WorkerMessage =
  /** `listen`: one address per transport in RunInfo.listen. */
  | { type: 'ready'; pid: number; listen: Address[] }
  /**
   * The job's program started (executable jobs), leader of its own process group `pid`: a worker killed
   * with kill -9 cannot end it, so the client does (WorkerHandle.killGroup).
   */
  | { type: 'child'; pid: number }
  | { type: 'connected' }
  | { type: 'log'; stream: 'stdout' | 'stderr'; lines: string[] }
  | { type: 'notice'; text: string }
  /**
   * `busyMs`: how long the job has been waiting for an async run() to settle (a source: for its next
   * value), null when it is not; the client times a job's `timeout:` with it.
   */
  | { type: 'metrics'; stats: WorkerStats; busyMs: number | null }
  | { type: 'sample'; sample: LogSample }
  | { type: 'finished'; stats: WorkerStats }
  /** The answer to `stop`: the final counters; then the worker exits. */
  | { type: 'stopped'; stats: WorkerStats }
  | { type: 'failed'; error: JobFailure; stats: WorkerStats };
