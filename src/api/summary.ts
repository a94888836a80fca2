import { showDuration } from '../config/duration.js';
import type { Network } from '../config/types.js';
import type { JobFailure, WorkerStats } from '../control/messages.js';
import type { SupervisorOutcome } from '../control/supervisor.js';

/**
 * One pipe's counters; `blocks`, `dropped`, `dummies` and `discarded` are the text summary's columns.
 * When the counts are final and not partial: `blocks + dropped` covers every SQN the producer made, and
 * each of them reached the job as a value or a dummy, or is in `discarded` with its reason
 * (`stale + incomplete + overflow + skipped`).
 */
export interface PipeSummary {
  pipe: string;
  producer: string;
  consumer: string;
  /** Blocks the consumer received. */
  blocks: number;
  /** Blocks the producer's drop policy (`drop: oldest|newest`) dropped. */
  dropped: number;
  /** Dummies the consumer's job got in place of missing blocks. */
  dummies: number;
  /** Blocks (received or dropped) the job never got: the sum of the four reasons below. */
  discarded: number;
  /** Received with an SQN older than expected. */
  stale: number;
  /** Left at the end: outside a complete round, or still waiting when the job ended or the run stopped. */
  incomplete: number;
  /** Received by an optional input whose buffer was full. */
  overflow: number;
  /** Dropped by the producer on an optional pipe: an optional input has no dummies. */
  skipped: number;
  /** Blocks the producer sent (more than `blocks` only while some are in flight, or when the run stopped). */
  sent: number;
  /** Blocks the producer sent again to a restarted consumer (not in `sent`). */
  replayed: number;
  /** Payload bytes the consumer received. */
  bytes: number;
  /** The producer's or the consumer's counters are the last ones seen, not final (its worker did not report them). */
  partial: boolean;
}

export interface JobSummary {
  job: string;
  rounds: number;
  maxRss: number;
  /** CPU time (ms) the job's worker used from the job's start to its end. */
  cpuMs: number;
  refused: number;
  /** The worker did not report final counters (killed, crashed, or no answer when the run stopped). */
  partial: boolean;
}

export interface RunSummary {
  network: string;
  status: 'finished' | 'failed' | 'interrupted' | 'timed_out';
  /** Attempts of the whole network: 1, plus one per retry (the network's `max_retries`). */
  attempts: number;
  wallMs: number;
  /** Present when the network's `timeout:` ran out (status timed_out). */
  timedOut?: { code: 'MRV_RUN_TIMEOUT'; timeoutMs: number; message: string };
  failure: { job: string; message: string; code: string | undefined; hint?: string; phase: string; stack: string | undefined } | undefined;
  pipes: PipeSummary[];
  jobs: JobSummary[];
  /** Data connections refused (failed authentication), over all workers. */
  refused: number;
}

/** Merges the producer's and the consumer's counters of every pipe; `partial`: jobs whose counters are not final. */
export function pipeTotals(network: Network, stats: Record<string, WorkerStats>, partial: readonly string[] = []): PipeSummary[] {
  return Object.values(network.pipes).map((p) => {
    const o = stats[p.producer]?.outputs[p.name];
    const i = stats[p.consumer]?.inputs[p.name];
    const stale = i?.stale ?? 0;
    const incomplete = i?.incomplete ?? 0;
    const overflow = i?.overflow ?? 0;
    const skipped = i?.skipped ?? 0;
    return {
      pipe: p.name,
      producer: p.producer,
      consumer: p.consumer,
      blocks: i?.blocks ?? 0,
      dropped: o?.dropped ?? 0,
      dummies: i?.dummies ?? 0,
      discarded: stale + incomplete + overflow + skipped,
      stale,
      incomplete,
      overflow,
      skipped,
      sent: o?.blocks ?? 0,
      replayed: o?.replayed ?? 0,
      bytes: i?.bytes ?? 0,
      partial: partial.includes(p.producer) || partial.includes(p.consumer),
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
    partial: outcome.partial.includes(j.name),
  }));
  return {
    network: network.name,
    attempts: 1,
    status: outcome.interrupted ? 'interrupted' : outcome.timedOut ? 'timed_out' : f ? 'failed' : 'finished',
    wallMs,
    ...(outcome.timedOut && !outcome.interrupted ? { timedOut: runTimeoutOf(outcome.timedOut.timeoutMs) } : {}),
    failure: f && { job: f.job, message: f.failure.message, code: f.failure.code, ...(f.failure.hint === undefined ? {} : { hint: f.failure.hint }), phase: f.failure.phase, stack: f.failure.stack },
    pipes: pipeTotals(network, outcome.stats, outcome.partial),
    jobs,
    refused: jobs.reduce((s, j) => s + j.refused, 0),
  };
}

/** The network's timeout ran out: the summary's and the record's account of it. */
export function runTimeoutOf(timeoutMs: number): NonNullable<RunSummary['timedOut']> {
  return {
    code: 'MRV_RUN_TIMEOUT',
    timeoutMs,
    message: `the run exceeded its timeout of ${showDuration(timeoutMs)} (counted from the moment every job started); every job was stopped`,
  };
}
