import type { Network } from '../config/types.js';
import type { JobFailure, WorkerStats } from '../control/messages.js';
import type { SupervisorOutcome } from '../control/supervisor.js';

export interface PipeSummary {
  pipe: string;
  producer: string;
  consumer: string;
  /** Blocks the producer sent. */
  sent: number;
  /** Blocks the consumer received. */
  received: number;
  bytes: number;
  /** Dropped by the pipe's drop policy. */
  dropped: number;
  dummies: number;
  stale: number;
  incomplete: number;
}

export interface JobSummary {
  job: string;
  rounds: number;
  maxRss: number;
  /** CPU time (ms) the job's worker used from the job's start to its end. */
  cpuMs: number;
  refused: number;
}

export interface RunSummary {
  network: string;
  status: 'finished' | 'failed' | 'interrupted';
  wallMs: number;
  failure: { job: string; message: string; code: string | undefined; hint?: string; phase: string; stack: string | undefined } | undefined;
  pipes: PipeSummary[];
  jobs: JobSummary[];
  /** Data connections refused (failed authentication), over all workers. */
  refused: number;
}

/** Merges the producer's and the consumer's counters of every pipe. */
export function pipeTotals(network: Network, stats: Record<string, WorkerStats>): PipeSummary[] {
  return Object.values(network.pipes).map((p) => {
    const o = stats[p.producer]?.outputs[p.name];
    const i = stats[p.consumer]?.inputs[p.name];
    return {
      pipe: p.name,
      producer: p.producer,
      consumer: p.consumer,
      sent: o?.blocks ?? 0,
      received: i?.blocks ?? 0,
      bytes: i?.bytes ?? 0,
      dropped: o?.dropped ?? 0,
      dummies: i?.dummies ?? 0,
      stale: i?.stale ?? 0,
      incomplete: i?.incomplete ?? 0,
    };
  });
}

export function summarize(network: Network, outcome: SupervisorOutcome, wallMs: number): RunSummary {
  const f: { job: string; failure: JobFailure } | undefined = outcome.failure;
  const jobs = network.jobs.map((j) => ({
    job: j.name,
    rounds: outcome.stats[j.name]?.rounds ?? 0,
    maxRss: outcome.stats[j.name]?.maxRss ?? 0,
    cpuMs: outcome.stats[j.name]?.cpuMs ?? 0,
    refused: outcome.stats[j.name]?.refused ?? 0,
  }));
  return {
    network: network.name,
    status: outcome.interrupted ? 'interrupted' : f ? 'failed' : 'finished',
    wallMs,
    failure: f && { job: f.job, message: f.failure.message, code: f.failure.code, ...(f.failure.hint === undefined ? {} : { hint: f.failure.hint }), phase: f.failure.phase, stack: f.failure.stack },
    pipes: pipeTotals(network, outcome.stats),
    jobs,
    refused: jobs.reduce((s, j) => s + j.refused, 0),
  };
}
