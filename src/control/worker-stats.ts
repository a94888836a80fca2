import type { WorkerStats } from './messages.js';

/** Counters of two workers of one job (a restart), added up; the largest RSS of both. */
export function addStats(a: WorkerStats | undefined, b: WorkerStats): WorkerStats {
  if (a === undefined) return b;
  const pipes = (x: WorkerStats['inputs'], y: WorkerStats['inputs']) => {
    const out: WorkerStats['inputs'] = {};
    for (const name of new Set([...Object.keys(x), ...Object.keys(y)])) {
      const p = x[name];
      const q = y[name];
      if (p === undefined || q === undefined) {
        out[name] = (p ?? q)!;
        continue;
      }
      const sum = { ...p };
      for (const k of Object.keys(sum) as (keyof typeof sum)[]) sum[k] = p[k] + q[k];
      out[name] = sum;
    }
    return out;
  };
  return {
    inputs: pipes(a.inputs, b.inputs),
    outputs: pipes(a.outputs, b.outputs),
    rounds: a.rounds + b.rounds,
    refused: a.refused + b.refused,
    rss: b.rss,
    maxRss: Math.max(a.maxRss, b.maxRss),
    cpuMs: a.cpuMs + b.cpuMs,
  };
}
