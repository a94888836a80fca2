/** Requests and limits of every job, and what each node has left once they are booked (`marvelo plan`). */
import { formatBytes, formatCpu } from '../config/quantity.js';
import type { Network, Resources } from '../config/types.js';
import { askText, Ledger } from './ledger.js';
import { LOCAL_NODE } from './place.js';
import type { Plan } from './types.js';

export interface JobResourcesView {
  job: string;
  node: string;
  requests: Resources;
  /** null: no `limits:`. */
  limits: Resources | null;
}

export interface NodeLeftView {
  node: string;
  capacity: Resources;
  /** What is left after the plan's jobs are booked; a key is absent where the node sets no capacity. */
  left: Resources;
}

export interface ResourcesView {
  jobs: JobResourcesView[];
  nodes: NodeLeftView[];
}

/** undefined when nothing asks or limits resources and no node has a capacity: nothing to show. */
export function resourcesView(network: Network, plan: Plan): ResourcesView | undefined {
  const asks = network.jobs.some((j) => hasAny(j.resources) || j.limits !== undefined);
  if (!asks && !network.nodes.some((n) => hasAny(n.capacity))) return undefined;
  const ledger = new Ledger(network.nodes);
  const jobs = network.jobs.map((j) => {
    const node = plan.nodeOf.get(j.name) ?? LOCAL_NODE;
    if (node !== LOCAL_NODE) ledger.book(node, j.resources);
    return { job: j.name, node, requests: j.resources, limits: j.limits ?? null };
  });
  const nodes = network.nodes.map((n) => {
    const { cpuMillis, memoryBytes } = ledger.leftOf(n.name);
    const left: Resources = {};
    if (cpuMillis !== undefined) Object.assign(left, { cpu: formatCpu(cpuMillis), cpuMillis });
    if (memoryBytes !== undefined) Object.assign(left, { memory: formatBytes(memoryBytes), memoryBytes });
    return { node: n.name, capacity: n.capacity, left };
  });
  return { jobs, nodes };
}

/** The view as table rows: [job, requests, limits] and [node, capacity, left]. */
export function resourcesRows(view: ResourcesView): { jobs: string[][]; nodes: string[][] } {
  return {
    jobs: view.jobs.map((j) => [j.job, askText(j.requests), j.limits === null ? '-' : askText(j.limits)]),
    nodes: view.nodes.map((n) => [n.node, hasAny(n.capacity) ? askText(n.capacity) : 'no limit', hasAny(n.left) ? askText(n.left) : 'no limit']),
  };
}

function hasAny(r: Resources): boolean {
  return r.cpuMillis !== undefined || r.memoryBytes !== undefined;
}
