/**
 * Rates from the differences of two snapshots of a run's counters (LiveState): rounds/s and CPU % per
 * job, blocks/s and bytes/s per pipe. The workers report every 500 ms, so a rate is taken over at least
 * `windowMs` (a second), against the oldest snapshot kept within it.
 */
import type { LiveJob, LiveJobState, LivePipe } from '../../api/live-state.js';

export interface Snapshot {
  /** Ms since the workers started. */
  t: number;
  jobs: LiveJob[];
  pipes: LivePipe[];
}

export interface JobRow {
  job: string;
  node: string | undefined;
  state: LiveJobState;
  /** undefined: no earlier snapshot yet. */
  roundsPerS: number | undefined;
  cpuPct: number | undefined;
  rss: number;
  /** The fullest of its synchronous input queues, 0..1 (undefined: none, or not known yet). */
  queueFill: number | undefined;
}

export interface PipeRow {
  pipe: string;
  blocksPerS: number | undefined;
  bytesPerS: number | undefined;
  blocks: number;
  dropped: number;
  dummies: number;
  /** Its consumer's queue, 0..1 (undefined: an optional input, or not known yet). */
  queueFill: number | undefined;
}

/** The rows of the table: `prev` (an earlier snapshot, or none) against `cur`. */
export function rowsOf(prev: Snapshot | undefined, cur: Snapshot): { jobs: JobRow[]; pipes: PipeRow[] } {
  const dt = prev === undefined ? 0 : cur.t - prev.t;
  const per = (now: number, before: number | undefined) => (dt > 0 && before !== undefined ? (Math.max(0, now - before) * 1000) / dt : undefined);
  const pj = new Map(prev?.jobs.map((j) => [j.job, j]));
  const pp = new Map(prev?.pipes.map((p) => [p.pipe, p]));
  const fill = (p: LivePipe) => (p.queued === undefined || p.maxQueue <= 0 ? undefined : Math.min(1, p.queued / p.maxQueue));
  const pipes = cur.pipes.map((p): PipeRow => {
    const b = pp.get(p.pipe);
    return { pipe: p.pipe, blocksPerS: per(p.blocks, b?.blocks), bytesPerS: per(p.bytes, b?.bytes), blocks: p.blocks, dropped: p.dropped, dummies: p.dummies, queueFill: fill(p) };
  });
  const jobs = cur.jobs.map((j): JobRow => {
    const b = pj.get(j.job);
    const cpu = per(j.cpuMs, b?.cpuMs);
    const fills = cur.pipes.filter((p) => p.consumer === j.job).map(fill).filter((f): f is number => f !== undefined);
    return {
      job: j.job,
      node: j.node,
      state: j.state,
      roundsPerS: per(j.rounds, b?.rounds),
      cpuPct: cpu === undefined ? undefined : cpu / 10,
      rss: j.rss,
      queueFill: fills.length > 0 ? Math.max(...fills) : undefined,
    };
  });
  return { jobs, pipes };
}

/** Keeps the snapshots of the last `windowMs` and gives the rows against the oldest of them. */
export class RateWindow {
  private readonly kept: Snapshot[] = [];

  constructor(private readonly windowMs = 1000) {}

  push(s: Snapshot): { jobs: JobRow[]; pipes: PipeRow[] } {
    // the newest snapshot at least windowMs old stays, as the base; older ones go
    while (this.kept.length > 1 && s.t - this.kept[1]!.t >= this.windowMs) this.kept.shift();
    const base = this.kept[0];
    this.kept.push(s);
    return rowsOf(base, s);
  }
}
