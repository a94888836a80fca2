/**
 * The state of a running network as its events tell it: each job's state and node, and its latest
 * counters (cumulative over restarts); each pipe's counters merged from both ends (pipeTotals). Fed with
 * every RunEvent; nothing per block: the counters are the ones workers send with `metrics`.
 * Read by the record's time series and by the terminal status.
 */
import type { Network } from '../config/types.js';
import type { WorkerStats } from '../control/messages.js';
import { addStats } from '../control/worker-stats.js';
import type { RunEvent } from './run.js';
import { pipeTotals } from './summary.js';

export type LiveJobState = 'starting' | 'running' | 'finished' | 'failed' | 'restarting';

export interface LiveJob {
  job: string;
  node: string | undefined;
  state: LiveJobState;
  rounds: number;
  cpuMs: number;
  rss: number;
}

export interface LivePipe {
  pipe: string;
  producer: string;
  consumer: string;
  blocks: number;
  bytes: number;
  dropped: number;
  dummies: number;
  /** Blocks waiting in the consumer's input queue (see queuedAt); absent for an optional input. */
  queued: number | undefined;
  /** The bound of that queue (the pipe's max_queue). */
  maxQueue: number;
}

export class LiveState {
  network: Network | undefined;
  /** Ms since the epoch when the workers started (the first 'started'); undefined before. */
  startedAt: number | undefined;
  private readonly states = new Map<string, LiveJobState>();
  private readonly nodes = new Map<string, string>();
  private readonly latest = new Map<string, WorkerStats>();
  /** The counters of a job's earlier workers (it was restarted). */
  private readonly earlier = new Map<string, WorkerStats>();

  constructor(private readonly now: () => number = Date.now) {}

  apply(e: RunEvent): void {
    switch (e.type) {
      case 'loaded':
        this.network = e.network;
        for (const j of e.network.jobs) this.states.set(j.name, 'starting');
        break;
      case 'planned':
        for (const p of e.plan.jobs) this.nodes.set(p.job, p.node);
        break;
      case 'started':
        this.startedAt ??= this.now();
        for (const w of e.workers) {
          this.nodes.set(w.job, w.node);
          this.states.set(w.job, 'running');
          // a retry of the whole network starts every counter again
          this.latest.delete(w.job);
          this.earlier.delete(w.job);
        }
        break;
      case 'metrics':
        this.latest.set(e.job, e.stats);
        break;
      case 'job-finished':
        this.latest.set(e.job, e.stats);
        this.states.set(e.job, 'finished');
        break;
      case 'job-failed':
        this.states.set(e.job, 'failed');
        break;
      case 'job-restarting': {
        this.states.set(e.job, 'restarting');
        const last = this.latest.get(e.job);
        if (last) this.earlier.set(e.job, addStats(this.earlier.get(e.job), last));
        this.latest.delete(e.job);
        break;
      }
      case 'job-restarted':
        this.states.set(e.job, 'running');
        this.nodes.set(e.job, e.node);
        break;
    }
  }

  /** Whether the workers have started (there is something to count). */
  get running(): boolean {
    return this.startedAt !== undefined;
  }

  /** Ms since the workers started. */
  elapsedMs(): number {
    return this.startedAt === undefined ? 0 : this.now() - this.startedAt;
  }

  /** Every job's counters: the latest of its worker plus its earlier workers'. */
  stats(): Record<string, WorkerStats> {
    const out: Record<string, WorkerStats> = {};
    for (const job of new Set([...this.latest.keys(), ...this.earlier.keys()])) {
      const cur = this.latest.get(job);
      const before = this.earlier.get(job);
      const s = cur ? addStats(before, cur) : before;
      if (s) out[job] = cur === undefined ? { ...s, rss: 0 } : s;
    }
    return out;
  }

  jobs(stats: Record<string, WorkerStats> = this.stats()): LiveJob[] {
    return (this.network?.jobs ?? []).map((j) => {
      const s = stats[j.name];
      return { job: j.name, node: this.nodes.get(j.name), state: this.states.get(j.name) ?? 'starting', rounds: s?.rounds ?? 0, cpuMs: s?.cpuMs ?? 0, rss: s?.rss ?? 0 };
    });
  }

  pipes(stats: Record<string, WorkerStats> = this.stats()): LivePipe[] {
    const network = this.network;
    if (!network) return [];
    return pipeTotals(network, stats).map((p) => {
      const spec = network.pipes[p.pipe]!;
      return {
        pipe: p.pipe,
        producer: p.producer,
        consumer: p.consumer,
        blocks: p.blocks,
        bytes: p.bytes,
        dropped: p.dropped,
        dummies: p.dummies,
        queued: spec.optional === undefined ? queuedAt(stats[p.consumer], p.pipe, spec.blockCount) : undefined,
        maxQueue: spec.maxQueue,
      };
    });
  }
}

/**
 * What waits in a synchronous input's queue, from the consumer's own counters (one consistent
 * snapshot): what arrived (blocks, plus the dummies made for gaps), less what was thrown away on arrival
 * (stale, overflow), less what its rounds took (`blockCount` a round). Approximate by at most one round.
 */
export function queuedAt(consumer: WorkerStats | undefined, pipe: string, blockCount: number): number | undefined {
  const i = consumer?.inputs[pipe];
  if (!consumer || !i) return undefined;
  return Math.max(0, i.blocks + i.dummies - i.stale - i.overflow - consumer.rounds * blockCount);
}
