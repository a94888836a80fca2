import type { Network, TransportKind } from '../config/types.js';
import { MarveloError } from '../errors.js';
import type { Plan } from './types.js';

/** The client's own node: LOCAL jobs, and every job when the network lists no nodes. */
export const LOCAL_NODE = 'local';

/**
 * Job name -> node name. DEFAULT_NODE first; then the job's groups in priority order, taking the
 * node of that group with the fewest jobs so far (ties: file order). ALL is every node; LOCAL is the client.
 */
export function place(network: Network, opts: { transport?: TransportKind } = {}): Plan {
  const nodeOf = placeJobs(network);
  const pipes = Object.values(network.pipes).map((p) => ({
    pipe: p.name,
    producer: p.producer,
    consumer: p.consumer,
    transport: opts.transport ?? p.transport ?? (nodeOf.get(p.producer) === nodeOf.get(p.consumer) ? 'unix' : 'tcp'),
  }));
  return {
    jobs: [...nodeOf].map(([job, node]) => ({ job, node, why: '' })),
    pipes,
    nodes: network.nodes.filter((n) => [...nodeOf.values()].includes(n.name)),
    nodeOf,
    transportOf: new Map(pipes.map((p) => [p.pipe, p.transport])),
  };
}

function placeJobs(network: Network): Map<string, string> {
  const placement = new Map<string, string>();
  const load = new Map<string, number>(network.nodes.map((n) => [n.name, 0]));
  for (const job of network.jobs) {
    const node = network.nodes.length === 0 ? LOCAL_NODE : pick(network, job.name, job.groups, job.defaultNode, load);
    placement.set(job.name, node);
    load.set(node, (load.get(node) ?? 0) + 1);
  }
  return placement;
}

function pick(
  network: Network,
  job: string,
  groups: string[],
  defaultNode: string | undefined,
  load: Map<string, number>,
): string {
  if (defaultNode !== undefined && network.nodes.some((n) => n.name === defaultNode || n.host === defaultNode)) {
    return network.nodes.find((n) => n.name === defaultNode || n.host === defaultNode)!.name;
  }
  for (const group of groups) {
    if (group === 'LOCAL') return LOCAL_NODE;
    const candidates = network.nodes.filter((n) => group === 'ALL' || n.groups.includes(group));
    if (candidates.length === 0) continue;
    let best = candidates[0]!;
    for (const n of candidates) if ((load.get(n.name) ?? 0) < (load.get(best.name) ?? 0)) best = n;
    return best.name;
  }
  throw new MarveloError('MRV_PLAN_PLACEMENT', `no node is in any of the groups ${groups.join(', ')}`, {
    job,
    hint: 'add one of these groups to a node, or change the job\'s groups',
  });
}
