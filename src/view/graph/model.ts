/**
 * The graph of a network as the pictures draw it: jobs (with their node, once placed), pipes with what
 * their labels show, and a run's final counts when given. One model for SVG, DOT, Mermaid and the web view.
 */
import type { DropPolicy, JobSpec, PipeSpec } from '../../config/types.js';
import type { PipeSummary } from '../../api/summary.js';
import type { PlacedJob } from '../../plan/types.js';
import { codecText, jobKindText } from './labels.js';

/** What graphModel reads of a network: a loaded Network, or the config kept in a run record. */
export interface GraphNetwork {
  name: string;
  jobs: readonly Pick<JobSpec, 'name' | 'kind' | 'module' | 'builtin' | 'executable' | 'python'>[];
  pipes: Readonly<Record<string, Pick<PipeSpec, 'name' | 'codec' | 'blockCount' | 'optional' | 'drop' | 'producer' | 'consumer'>>>;
  /** The nodes the network lists (empty: everything runs on this machine, no groups are drawn). */
  nodes: readonly { name: string }[];
}

/** What graphModel reads of a plan: where each job runs (a Plan, or a run record's placement). */
export interface GraphPlacement {
  jobs: readonly Pick<PlacedJob, 'job' | 'node'>[];
}

export interface GraphJob {
  name: string;
  kind: JobSpec['kind'];
  /** Its class, built-in or executable in a few characters, e.g. "count.ts", "builtin:csv-sink", "exec cat". */
  what: string;
  /** The node it runs on (a node's name, or "local"); undefined when not placed. */
  node: string | undefined;
}

/** A pipe's final counters from a run's summary. */
export interface GraphCounts {
  blocks: number;
  dropped: number;
  dummies: number;
  bytes: number;
  /** Some of its counters are the last ones seen, not final. */
  partial: boolean;
}

export interface GraphPipe {
  name: string;
  /** Producer and consumer jobs. */
  from: string;
  to: string;
  /** The codec as text, e.g. "msgpack", "float32[256]", "bytes/1024", "IntCodec". */
  codec: string;
  blockCount: number;
  /** An optional (async) input: drawn dashed. */
  optional: { buffer: number; drop: 'oldest' | 'newest' } | undefined;
  /** The producer's drop policy when its consumer's queue is full ('block': none). */
  drop: DropPolicy;
  counts: GraphCounts | undefined;
}

export interface GraphModel {
  name: string;
  jobs: GraphJob[];
  pipes: GraphPipe[];
  /** The node groups to draw, in order of their first job ("local" included); empty without nodes or a plan. */
  nodes: string[];
}

export function graphModel(network: GraphNetwork, plan?: GraphPlacement, counts?: readonly PipeSummary[]): GraphModel {
  const nodeOf = new Map((plan?.jobs ?? []).map((j) => [j.job, j.node]));
  const jobs: GraphJob[] = network.jobs.map((j) => ({ name: j.name, kind: j.kind, what: jobKindText(j), node: nodeOf.get(j.name) }));
  const countOf = new Map((counts ?? []).map((c) => [c.pipe, c]));
  const pipes: GraphPipe[] = Object.values(network.pipes).map((p) => {
    const c = countOf.get(p.name);
    return {
      name: p.name,
      from: p.producer,
      to: p.consumer,
      codec: codecText(p.codec),
      blockCount: p.blockCount,
      optional: p.optional === undefined ? undefined : { buffer: p.optional.buffer, drop: p.optional.drop },
      drop: p.drop,
      counts: c === undefined ? undefined : { blocks: c.blocks, dropped: c.dropped, dummies: c.dummies, bytes: c.bytes, partial: c.partial },
    };
  });
  const nodes = network.nodes.length > 0 && plan !== undefined ? [...new Set(jobs.flatMap((j) => (j.node === undefined ? [] : [j.node])))] : [];
  return { name: network.name, jobs, pipes, nodes };
}
