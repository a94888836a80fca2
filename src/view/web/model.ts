import type { PipeSpec } from '../../config/types.js';
import type { SeriesSample } from '../../api/records/series.js';

/**
 * What the web page draws, live or from a run's record: the network's shape, samples of its counters
 * (the record's series.jsonl line format), its events, and the tail of each job's log.
 */

export type ViewJobState = 'queued' | 'starting' | 'running' | 'finished' | 'failed' | 'restarting' | 'stopped';

export interface ViewJob {
  name: string;
  node: string | undefined;
  state: ViewJobState;
  inputs: string[];
  outputs: string[];
}

export interface ViewPipe {
  name: string;
  producer: string;
  consumer: string;
  /** Bound of the consumer's input queue, in blocks: the queue fill's denominator. */
  maxQueue: number;
  blockCount: number;
  optional: boolean;
  drop: string;
}

/** A pipe as the page shows it, from the network's pipe (live) or the record's config (past runs). */
export function viewPipe(p: Pick<PipeSpec, 'name' | 'producer' | 'consumer' | 'maxQueue' | 'blockCount' | 'optional' | 'drop'>): ViewPipe {
  return { name: p.name, producer: p.producer, consumer: p.consumer, maxQueue: p.maxQueue, blockCount: p.blockCount, optional: p.optional !== undefined, drop: p.drop };
}

/** One sample of the run's counters, cumulative (rates are deltas): a series.jsonl line. */
export type ViewSample = SeriesSample;

export interface ViewEvent {
  /** ms since the run started (or since the view started, before that). */
  t: number;
  level: 'info' | 'warn' | 'error';
  job?: string;
  text: string;
}

export interface ViewSnapshot {
  mode: 'live' | 'record';
  runId: string | undefined;
  network: string | undefined;
  /** running, finished, failed, interrupted, timed_out ... (a record's status). */
  status: string;
  jobs: ViewJob[];
  pipes: ViewPipe[];
  /** Console jobs the page's input box feeds (live only). */
  consoles: string[];
  samples: ViewSample[];
  events: ViewEvent[];
  logs: Record<string, string[]>;
}

/** What the event stream sends after the snapshot, batched. */
export interface ViewUpdate {
  status?: string;
  runId?: string;
  network?: string;
  jobs?: ViewJob[];
  pipes?: ViewPipe[];
  consoles?: string[];
  samples?: ViewSample[];
  events?: ViewEvent[];
  logs?: Record<string, string[]>;
}

/** Bounds: what a page can hold for a long run. */
export const LOG_TAIL = 200;
export const LOG_LINE_CHARS = 2000;
export const EVENTS_KEPT = 500;
export const SAMPLES_KEPT = 1200;
