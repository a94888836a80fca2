/** What each node has left while jobs are booked on it: jobs so far, and CPU and memory left. */
import { formatBytes, formatCpu } from '../config/quantity.js';
import type { NodeSpec, Resources } from '../config/types.js';

interface Left {
  /** undefined: the node does not limit it. */
  cpuMillis: number | undefined;
  memoryBytes: number | undefined;
  jobs: number;
  /** Replicas booked here, by the job they replicate. */
  replicas: Map<string, number>;
}

export class Ledger {
  private readonly left = new Map<string, Left>();

  constructor(nodes: readonly NodeSpec[]) {
    for (const n of nodes) this.left.set(n.name, { cpuMillis: n.capacity.cpuMillis, memoryBytes: n.capacity.memoryBytes, jobs: 0, replicas: new Map() });
  }

  jobsOn(node: string): number {
    return this.entry(node).jobs;
  }

  /** Replicas of job `of` booked on the node so far. */
  replicasOn(node: string, of: string): number {
    return this.entry(node).replicas.get(of) ?? 0;
  }

  /** A node takes a job when what it has left covers every request; a limit it does not have never refuses. */
  fits(node: string, ask: Resources): boolean {
    const left = this.entry(node);
    return covers(left.cpuMillis, ask.cpuMillis) && covers(left.memoryBytes, ask.memoryBytes);
  }

  /** `replicaOf`: the job is a replica of that job (replicas spread over the nodes). */
  book(node: string, ask: Resources, replicaOf?: string): void {
    const left = this.entry(node);
    left.jobs += 1;
    if (replicaOf !== undefined) left.replicas.set(replicaOf, (left.replicas.get(replicaOf) ?? 0) + 1);
    if (left.cpuMillis !== undefined) left.cpuMillis -= ask.cpuMillis ?? 0;
    if (left.memoryBytes !== undefined) left.memoryBytes -= ask.memoryBytes ?? 0;
  }

  /** What the node has left (undefined: it does not limit that resource). */
  leftOf(node: string): { cpuMillis: number | undefined; memoryBytes: number | undefined } {
    const { cpuMillis, memoryBytes } = this.entry(node);
    return { cpuMillis, memoryBytes };
  }

  /** "cpu 500m, memory 1Gi left", "memory 0 left", "no limit". */
  leftText(node: string): string {
    const left = this.entry(node);
    const parts = [];
    if (left.cpuMillis !== undefined) parts.push(`cpu ${formatCpu(left.cpuMillis)}`);
    if (left.memoryBytes !== undefined) parts.push(`memory ${formatBytes(left.memoryBytes)}`);
    return parts.length > 0 ? `${parts.join(', ')} left` : 'no limit';
  }

  private entry(node: string): Left {
    const left = this.left.get(node);
    if (left === undefined) throw new Error(`ledger: unknown node ${node}`);
    return left;
  }
}

/** "cpu 2, memory 512Mi", or "nothing" for a job without requests. */
export function askText(ask: Resources): string {
  const parts = [];
  if (ask.cpuMillis !== undefined) parts.push(`cpu ${formatCpu(ask.cpuMillis)}`);
  if (ask.memoryBytes !== undefined) parts.push(`memory ${formatBytes(ask.memoryBytes)}`);
  return parts.length > 0 ? parts.join(', ') : 'nothing';
}

function covers(left: number | undefined, ask: number | undefined): boolean {
  return left === undefined || (ask ?? 0) <= left;
}
