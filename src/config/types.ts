import type { ScheduleSpec } from '../schedule/spec.js';
import type { SourceLocation } from '../errors.js';

/** A pipe's codec, as resolved from the network file. */
export type CodecSpec =
  | { kind: 'msgpack' }
  | { kind: 'json' }
  | { kind: 'bytes'; blockSize: number }
  | { kind: 'typed'; type: TypedCodecType; length: number }
  /** `module` is an absolute path; `exportName` is 'default' or a named export. */
  | { kind: 'custom'; module: string; exportName: string };

export type TypedCodecType = 'float32' | 'float64' | 'int16' | 'int32';
export type CodecName = 'msgpack' | 'json' | 'bytes' | TypedCodecType;

export type DropPolicy = 'block' | 'oldest' | 'newest';
export type DummyMode = 'zero' | 'prev';
export type TransportKind = 'unix' | 'tcp';

export interface OptionalSpec {
  /** Value read when nothing was ever queued (and, without `store`, whenever the queue is empty). */
  default: unknown;
  /** Repeat the last value read when the queue is empty. */
  store: boolean;
  /** Bound of the queue of values not yet read (>= 1). */
  buffer: number;
  /** Which value a full buffer loses. */
  drop: 'oldest' | 'newest';
}

export interface PipeSpec {
  name: string;
  codec: CodecSpec;
  /** Blocks per round at the consumer (>= 1). */
  blockCount: number;
  /** Async/optional: bypasses the SQN checker; the job never blocks on it. */
  optional: OptionalSpec | undefined;
  /** Bound of the consumer's input queue, in blocks. */
  maxQueue: number;
  drop: DropPolicy;
  dummy: DummyMode;
  /** Flush batched frames at least this often (ms); 0 = at the end of the event-loop turn. */
  flushMs: number;
  /** Forces a transport; undefined = unix on one host, tcp across hosts. */
  transport: TransportKind | undefined;
  /** Head size on the wire (the producer's head size, bytes 1..4). */
  headSize: number;
  /**
   * One of its ends may be restarted (`on_failure: restart`): the pipe survives a new worker at either
   * end, and when it is lossless and synchronous the producer keeps what it sent until it is processed.
   */
  restartable: boolean;
  producer: string;
  consumer: string;
  where: SourceLocation;
}

/** `split` and `merge` are the splitter and merger around a job's replicas (config/replicas.ts). */
export type JobKind = 'script' | 'builtin' | 'executable' | 'split' | 'merge';

/** What a job with `replicas: N` is: the job as written, and the part of it this job is. */
export interface ReplicaRole {
  /** The job's name in the network file. */
  of: string;
  /** This replica's index, 0..count-1; -1 for the splitter and the merger. */
  index: number;
  count: number;
  /** sqn: the merger keeps the stream of one worker; any: results pass on as they come. */
  order: 'sqn' | 'any';
  /** What the job as written is: a source's outputs are interleaved, a connector's rounds merged back in order. */
  shape: 'source' | 'connector' | 'sink';
}

export interface ModuleRef {
  /** Absolute path of the module file. */
  file: string;
  /** 'default' or a named export. */
  exportName: string;
}

export interface ExecutableSpec {
  /** Absolute path or a command name resolved on PATH. */
  command: string;
  args: string[];
  inputFlag: string;
  outputFlag: string;
  pass: 'path' | 'fd';
}

export interface JobSpec {
  name: string;
  kind: JobKind;
  /** Script jobs: the module and export of the ScriptJob subclass. */
  module: ModuleRef | undefined;
  /** Built-in jobs: the name after `builtin:`. */
  builtin: string | undefined;
  executable: ExecutableSpec | undefined;
  /** `uses: python:file.py#Class`: the original PythonJob the executable runs (docs/python-jobs.md). */
  python?: {
    file: string;
    className: string;
    /** The dependencies that are Python code (marvelo's runtime, the job's package): shipped without hidden entries and caches. */
    code: string[];
  };
  params: Record<string, unknown>;
  /** Pipe names, in run() argument order. */
  inputs: string[];
  /** Pipe names, in output order. */
  outputs: string[];
  /** Placement groups, highest priority first (default ['ALL']; 'LOCAL' = the client). */
  groups: string[];
  defaultNode: string | undefined;
  head: boolean;
  headSize: number;
  maxQueue: number;
  /** Absolute paths shipped beside the job. */
  dependencies: string[];
  env: Record<string, string>;
  /** Report resource metrics (issue: built-in logging). */
  logging: boolean;
  where: SourceLocation;
  /** What the job asks of its node; booked against the node's capacity by placement ({} = nothing). */
  resources: Resources;
  /** `limits:` the most the job may use (memory: killed over it; cpu: throttled where cgroups v2 allow); absent = none. */
  limits?: Resources;
  /** The longest one run() call (a source: the wait for its next value) may take, in ms (`timeout:`). */
  timeoutMs?: number;
  /** `on_failure:` what a failure of the job does: end the run, or start the job again. */
  onFailure: 'stop' | 'restart';
  /** How often the job may be restarted (0 with `on_failure: stop`). */
  maxRetries: number;
  /** Wait before the first restart (ms), doubling for each further one. */
  retryBackoffMs: number;
  /** The class declares `static STATELESS = true`: a restart loses nothing of it. */
  stateless: boolean;
  /** A source class with `seek(sqn)`: it can resume its stream after a restart. */
  seekable: boolean;
  /** `replicas:` as written (the network the runtime runs has them expanded: `replica`). */
  replicas?: number;
  /** A replica, the splitter or the merger of a job with `replicas:` N > 1. */
  replica?: ReplicaRole;
}

/** CPU and memory as written (Kubernetes quantities, e.g. "500m", "2Gi") and as whole numbers. */
export interface Resources {
  /** As written; a YAML number as its text (1.5 -> "1.5"). */
  cpu?: string;
  memory?: string;
  /** `cpu` in millicores (1 CPU = 1000). */
  cpuMillis?: number;
  /** `memory` in bytes. */
  memoryBytes?: number;
}

export interface NodeSpec {
  name: string;
  /** The address to connect to (an ~/.ssh/config alias is replaced by its HostName). */
  host: string;
  port: number;
  /** The SSH user (from the file, else ~/.ssh/config, else the client's user name). */
  user: string | undefined;
  /** Absolute path of the private key file; undefined = ssh-agent, else the default key files. */
  identity: string | undefined;
  /** Absolute path of the known_hosts file that verifies this node's host key. */
  knownHosts: string;
  groups: string[];
  /** What the node offers; a resource it does not give is not limited. */
  capacity: Resources;
  /** The remote work folder (`~/` = the SSH user's home). */
  root: string;
  /** Node.js on that node: a command on PATH or an absolute path. */
  nodeBinary: string;
  /** The address other nodes use for this node's data ports (its listeners bind to it). */
  dataHost: string;
  where: SourceLocation;
}

export interface Network {
  name: string;
  /** Absolute path of the network file. */
  file: string;
  /** Directory of the network file (module paths are relative to it). */
  dir: string;
  jobs: JobSpec[];
  pipes: Record<string, PipeSpec>;
  nodes: NodeSpec[];
  /** The longest the run may take once every job started, in ms (`timeout:`); undefined: no limit. */
  timeoutMs?: number;
  /** How often the whole network is run again after a failed attempt. */
  maxRetries: number;
  /** Wait before the first retry of the network (ms), doubling for each further one. */
  retryBackoffMs: number;
  /** `hooks:` programs run on the client after the run; absent when the file has none. */
  hooks?: HooksSpec;
  /** When `marvelo schedule` starts runs (`schedule:`); undefined: the network has no schedule. */
  schedule?: ScheduleSpec;
}

/** A hook's name, as written in the network file. */
export type HookName = 'on_success' | 'on_failure' | 'on_finish';

/** `hooks:` resolved: each hook an argument vector (program, then arguments). */
export interface HooksSpec {
  commands: Partial<Record<HookName, string[]>>;
  /** The longest one hook may run, in ms. */
  timeoutMs: number;
}

/** Defaults, with units. Pinned by a test. */
export const DEFAULTS = {
  /** blocks per input queue */
  maxQueue: 1024,
  /** bytes */
  headSize: 1,
  blockCount: 1,
  drop: 'block' as DropPolicy,
  /** ms; 0 = flush at the end of the event-loop turn */
  flushMs: 0,
  groups: ['ALL'],
  optional: { default: null, store: true, buffer: 1, drop: 'oldest' as const },
} as const;
