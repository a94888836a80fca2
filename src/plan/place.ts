/**
 * The plan of a run: every job on a node, every pipe with its transport. Jobs are placed in file order:
 * DEFAULT_NODE first, then the job's groups in priority order (ALL = every node, LOCAL = the client);
 * within a group, among the nodes with room for the job's requests, the one with the fewest jobs so
 * far (ties: the first in the node list); a replica goes first to the nodes with the fewest replicas
 * of its job. Each job's requests are booked against its node's capacity.
 */
import type { JobSpec, Network, NodeSpec, TransportKind } from '../config/types.js';
import { MarveloError } from '../errors.js';
import { askText, Ledger } from './ledger.js';
import { planPipes } from './transports.js';
import type { PlacedJob, Plan } from './types.js';

/** The client's own node: LOCAL jobs, and every job when the network lists no nodes. */
export const LOCAL_NODE = 'local';

export interface PlanOptions {
  /** Forces every pipe's transport, over the pipes' own `transport:` (a run's `--transport`). */
  transport?: TransportKind;
}

/** Throws MRV_PLAN_PLACEMENT for a job no node can take, MRV_PLAN_TRANSPORT for a pipe forced to unix across nodes. */
export function place(network: Network, opts: PlanOptions = {}): Plan {
  const ledger = new Ledger(network.nodes);
  const jobs: PlacedJob[] = network.jobs.map((job) => {
    if (network.nodes.length === 0) return { job: job.name, node: LOCAL_NODE, why: 'no nodes: this machine' };
    const placed = placeJob(job, network.nodes, ledger);
    if (placed.node !== LOCAL_NODE) ledger.book(placed.node, job.resources, replicaOf(job));
    return placed;
  });
  const nodeOf = new Map(jobs.map((j) => [j.job, j.node]));
  const pipes = planPipes(network, nodeOf, opts.transport);
  return {
    jobs,
    pipes,
    nodes: network.nodes.filter((n) => jobs.some((j) => j.node === n.name)),
    nodeOf,
    transportOf: new Map(pipes.map((p) => [p.pipe, p.transport])),
  };
}

export function placeJob(job: JobSpec, nodes: readonly NodeSpec[], ledger: Ledger): PlacedJob {
  const ask = job.resources;
  // Why earlier choices were passed over, in the order they were tried.
  const passed: string[] = [];
  const placed = (node: string, why: string): PlacedJob => ({ job: job.name, node, why: [...passed, why].join('; ') });

  const tried = new Set<NodeSpec>();
  if (job.defaultNode !== undefined) {
    const node = nodes.find((n) => n.name === job.defaultNode || n.host === job.defaultNode);
    if (node !== undefined) {
      tried.add(node);
      if (ledger.fits(node.name, ask)) return placed(node.name, `DEFAULT_NODE ${node.name}`);
      passed.push(`DEFAULT_NODE ${node.name} has too little left (${ledger.leftText(node.name)})`);
    }
  }
  for (const group of job.groups) {
    if (group === 'LOCAL') return placed(LOCAL_NODE, 'group LOCAL: the client');
    const members = nodes.filter((n) => group === 'ALL' || n.groups.includes(group));
    members.forEach((n) => tried.add(n));
    const open = members.filter((n) => ledger.fits(n.name, ask));
    if (open.length === 0) {
      if (members.length > 0) passed.push(`group ${group}: no node has room`);
      continue;
    }
    const of = replicaOf(job);
    const rank = (n: NodeSpec) => (of === undefined ? 0 : ledger.replicasOn(n.name, of)) * 1e6 + ledger.jobsOn(n.name);
    let best = open[0]!;
    for (const n of open) if (rank(n) < rank(best)) best = n;
    const why =
      members.length === 1
        ? `group ${group}: its only node`
        : of !== undefined
          ? `group ${group}: fewest replicas of ${of} (${ledger.replicasOn(best.name, of)}), then fewest jobs (${ledger.jobsOn(best.name)})`
          : `group ${group}: fewest jobs (${ledger.jobsOn(best.name)})`;
    return placed(best.name, why);
  }
  throw unplaceable(job, [...tried], ledger);
}

/** The job a replica replicates (not its splitter or merger). */
export function replicaOf(job: JobSpec): string | undefined {
  return job.replica !== undefined && job.replica.index >= 0 ? job.replica.of : undefined;
}

function unplaceable(job: JobSpec, tried: NodeSpec[], ledger: Ledger): MarveloError {
  const groups = job.groups.join(', ');
  if (tried.length === 0) {
    return new MarveloError('MRV_PLAN_PLACEMENT', `job '${job.name}': no node is in any of its groups (${groups})`, {
      job: job.name,
      where: job.where,
      hint: "add one of these groups to a node, or change the job's groups",
    });
  }
  const left = tried.map((n) => `${n.name} has ${ledger.leftText(n.name)}`).join('; ');
  return new MarveloError('MRV_PLAN_PLACEMENT', `job '${job.name}' asks ${askText(job.resources)}, but no node of its groups (${groups}) has that left: ${left}`, {
    job: job.name,
    where: job.where,
    hint: "give the nodes more capacity, lower the job's resources, or add a node to its groups (jobs are booked in file order)",
  });
}
