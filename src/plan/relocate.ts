/**
 * Where a job goes when it is restarted (on_failure: restart): its node if that is alive, else another
 * by the placement rules (place.ts) among the nodes still alive, with the other jobs' requests booked
 * where they run now. Its pipes' transports follow the new node.
 */
import type { JobSpec, Network, NodeSpec, TransportKind } from '../config/types.js';
import { Ledger } from './ledger.js';
import { LOCAL_NODE, placeJob, replicaOf } from './place.js';
import { planPipes } from './transports.js';
import type { PlacedJob, Plan } from './types.js';

/** The nodes a job may ever run on, by its groups and DEFAULT_NODE (LOCAL_NODE for the group LOCAL). */
export function eligibleNodes(job: JobSpec, nodes: readonly NodeSpec[]): string[] {
  if (nodes.length === 0) return [LOCAL_NODE];
  const out = new Set<string>();
  const byDefault = job.defaultNode === undefined ? undefined : nodes.find((n) => n.name === job.defaultNode || n.host === job.defaultNode);
  if (byDefault) out.add(byDefault.name);
  for (const group of job.groups) {
    if (group === 'LOCAL') out.add(LOCAL_NODE);
    else for (const n of nodes) if (group === 'ALL' || n.groups.includes(group)) out.add(n.name);
  }
  return [...out];
}

export interface Relocation extends PlacedJob {
  /** Every pipe's transport with the job on its (new) node. */
  transportOf: Map<string, TransportKind>;
}

/**
 * `usable`: the nodes a restart may use (alive, and made ready for this job); LOCAL_NODE is always
 * usable. Throws MRV_PLAN_PLACEMENT when none of them can take the job.
 */
export function relocate(
  network: Network,
  nodeOf: ReadonlyMap<string, string>,
  job: JobSpec,
  usable: ReadonlySet<string>,
  forced: TransportKind | undefined,
): Relocation {
  const current = nodeOf.get(job.name)!;
  let placed: PlacedJob;
  if (current === LOCAL_NODE || usable.has(current)) {
    placed = { job: job.name, node: current, why: `its node ${current} is alive` };
  } else {
    const nodes = network.nodes.filter((n) => usable.has(n.name));
    const ledger = new Ledger(nodes);
    for (const [other, node] of nodeOf) {
      if (other === job.name || !usable.has(node)) continue;
      const spec = network.jobs.find((j) => j.name === other)!;
      ledger.book(node, spec.resources, replicaOf(spec));
    }
    placed = placeJob(job, nodes, ledger);
    placed = { ...placed, why: `${current} was lost; ${placed.why}` };
  }
  const moved = new Map(nodeOf);
  moved.set(job.name, placed.node);
  const transportOf = new Map(planPipes(network, moved, forced).map((p) => [p.pipe, p.transport]));
  return { ...placed, transportOf };
}

/** For each node, the restartable jobs that may be moved there (and do not run there already). */
export function standbyNodes(network: Network, plan: Plan): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const job of network.jobs) {
    if (job.onFailure !== 'restart') continue;
    for (const node of eligibleNodes(job, network.nodes)) {
      if (node === plan.nodeOf.get(job.name)) continue;
      if (!out.has(node)) out.set(node, new Set());
      out.get(node)!.add(job.name);
    }
  }
  return out;
}
