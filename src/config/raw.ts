/**
 * The network file as plain values, once it passed the schema: the shapes schema.ts allows, with the
 * names users write (snake_case). Resolution turns these into the types of types.ts.
 */
import type { RawResources } from './resources.js';
import type { YamlSource } from './source.js';
import type { RawDefaults } from './defaults.js';

export type PipeName = string | number;

export interface RawJob {
  name: string;
  uses?: string;
  executable?: string;
  args?: (string | number)[];
  input_flag?: string;
  output_flag?: string;
  pass?: 'path' | 'fd';
  build?: RawBuild;
  params?: Record<string, unknown>;
  inputs?: PipeName[];
  outputs?: PipeName[];
  groups?: string | string[];
  default_node?: string;
  head?: boolean;
  head_size?: number;
  max_queue?: number;
  dependencies?: string | string[];
  env?: Record<string, string>;
  logging?: boolean;
  resources?: RawResources;
  limits?: RawResources;
  timeout?: number | string;
  max_retries?: number;
  replicas?: number;
  order?: 'sqn' | 'any';
  on_failure?: 'stop' | 'restart';
  retry_backoff?: number | string;
}

/** How to make an executable job's program: a command, run when the program is missing or stale. */
export interface RawBuild {
  command: (string | number)[];
  sources?: string | string[];
}

export interface RawOptional {
  default?: unknown;
  store?: boolean;
  buffer?: number;
  drop?: 'oldest' | 'newest';
}

export interface RawPipe {
  codec?: string;
  block_size?: number;
  length?: number;
  block_count?: number;
  async?: boolean;
  optional?: RawOptional;
  max_queue?: number;
  drop?: 'block' | 'oldest' | 'newest';
  dummy?: 'zero' | 'prev';
  flush_ms?: number;
  transport?: 'unix' | 'tcp';
}

export interface RawNode {
  name?: string;
  host: string;
  port?: number;
  user?: string;
  identity?: string;
  known_hosts?: string;
  groups?: string | string[];
  capacity?: RawResources;
  root?: string;
  node_binary?: string;
  data_host?: string;
}

/** A cluster file: nodes shared by many networks. */
export interface RawCluster {
  nodes: RawNode[];
}

export interface RawNetwork {
  name?: string;
  jobs: RawJob[];
  pipes?: Record<string, RawPipe>;
  /** The nodes, or the path of a cluster file that lists them. */
  nodes?: RawNode[] | string;
  head_size?: number;
  timeout?: number | string;
  max_retries?: number;
  retry_backoff?: number | string;
  /** Copied into the jobs before validation (defaults.ts). */
  defaults?: RawDefaults;
  hooks?: RawHooks;
  schedule?: RawSchedule;
}

/** Programs run after the run: each an argument vector (program, then its arguments). */
export interface RawHooks {
  on_success?: (string | number)[];
  on_failure?: (string | number)[];
  on_finish?: (string | number)[];
  timeout?: number | string;
}

/** `schedule:`: when `marvelo schedule` starts runs of the network (src/schedule/). */
export interface RawSchedule {
  cron: string;
  timezone?: string;
  starts?: string;
  ends?: string;
  concurrency?: 'forbid' | 'allow' | 'replace';
  starting_deadline?: number | string;
}

/** Only valid once validateAgainstSchema() found nothing. */
export function rawNetworkOf(src: YamlSource): RawNetwork {
  // Expansion is already bounded by findAliasProblem(); yaml's own limit (100) would refuse honest files.
  return src.doc.toJS({ maxAliasCount: -1 }) as RawNetwork;
}

export function asList(value: string | string[] | undefined): string[] | undefined {
  return value === undefined ? undefined : typeof value === 'string' ? [value] : value;
}

/**
 * Every key resolution reads, per object. `satisfies` keeps them equal to the raw types, and a test keeps
 * them equal to the schema's properties: the schema, the types and the resolver cannot drift apart.
 */
export const RESOLVED_KEYS = {
  network: { name: true, jobs: true, pipes: true, nodes: true, head_size: true, timeout: true, max_retries: true, retry_backoff: true, defaults: true, hooks: true, schedule: true } satisfies Record<keyof RawNetwork, true>,
  hooks: { on_success: true, on_failure: true, on_finish: true, timeout: true } satisfies Record<keyof RawHooks, true>,
  schedule: { cron: true, timezone: true, starts: true, ends: true, concurrency: true, starting_deadline: true } satisfies Record<keyof RawSchedule, true>,
  job: {
    name: true, uses: true, executable: true, args: true, input_flag: true, output_flag: true, pass: true,
    build: true, params: true, inputs: true, outputs: true, groups: true, default_node: true, head: true, head_size: true,
    max_queue: true, dependencies: true, env: true, logging: true, resources: true, limits: true, timeout: true,
    max_retries: true, replicas: true, order: true, on_failure: true, retry_backoff: true,
  } satisfies Record<keyof RawJob, true>,
  pipe: {
    codec: true, block_size: true, length: true, block_count: true, async: true, optional: true,
    max_queue: true, drop: true, dummy: true, flush_ms: true, transport: true,
  } satisfies Record<keyof RawPipe, true>,
  optional: { default: true, store: true, buffer: true, drop: true } satisfies Record<keyof RawOptional, true>,
  build: { command: true, sources: true } satisfies Record<keyof RawBuild, true>,
  node: {
    name: true, host: true, port: true, user: true, identity: true, known_hosts: true, groups: true, capacity: true,
    root: true, node_binary: true, data_host: true,
  } satisfies Record<keyof RawNode, true>,
  cluster: { nodes: true } satisfies Record<keyof RawCluster, true>,
} as const;
