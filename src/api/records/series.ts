/**
 * The record's time series, `series.jsonl`: one JSON line a sample, `{ t, jobs, pipes }`, with the
 * cumulative counters of every job and pipe (a rate is the difference of two samples over their `t`).
 * A sample a second from the workers' start; at most MAX_SERIES_LINES lines: past that, every other
 * line is dropped and the interval doubles. Lines are appended one write at a time, so a killed client
 * leaves whole lines (a cut last line is skipped by the reader).
 */
import { appendFileSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readJsonLines } from './store.js';
import type { LiveJobState, LiveState } from '../live-state.js';

export const SERIES_FILE = 'series.jsonl';
export const MAX_SERIES_LINES = 3600;
export const SERIES_INTERVAL_MS = 1000;

export interface SeriesJob {
  rounds: number;
  cpuMs: number;
  /** Resident memory of its worker at the sample (bytes; 0 while it restarts). */
  rss: number;
  state: LiveJobState;
}

export interface SeriesPipe {
  /** Blocks the consumer received, and their payload bytes. */
  blocks: number;
  bytes: number;
  /** Dropped by the producer's drop policy. */
  dropped: number;
  dummies: number;
  /** Blocks waiting in the consumer's input queue; absent for an optional input or before its first counters. */
  queued?: number;
}

export interface SeriesSample {
  /** Ms since the workers started. */
  t: number;
  jobs: Record<string, SeriesJob>;
  pipes: Record<string, SeriesPipe>;
}

export function seriesFile(recordDir: string): string {
  return join(recordDir, SERIES_FILE);
}

/** Every whole sample of a record, oldest first ([] when it has none; a line cut by a crash is left out). */
export function readSeries(recordDir: string): SeriesSample[] {
  return readJsonLines(seriesFile(recordDir), isSample);
}

function isSample(v: unknown): v is SeriesSample {
  const s = v as Partial<SeriesSample> | null;
  return typeof s === 'object' && s !== null && typeof s.t === 'number' && typeof s.jobs === 'object' && typeof s.pipes === 'object';
}

/** The sample of `live` now. */
export function sampleOf(live: LiveState): SeriesSample {
  const stats = live.stats();
  const jobs: Record<string, SeriesJob> = {};
  for (const j of live.jobs(stats)) jobs[j.job] = { rounds: j.rounds, cpuMs: j.cpuMs, rss: j.rss, state: j.state };
  const pipes: Record<string, SeriesPipe> = {};
  for (const p of live.pipes(stats)) {
    pipes[p.pipe] = { blocks: p.blocks, bytes: p.bytes, dropped: p.dropped, dummies: p.dummies, ...(p.queued === undefined ? {} : { queued: p.queued }) };
  }
  return { t: live.elapsedMs(), jobs, pipes };
}

/**
 * The bound: `lines` (kept so far) reached `max`: every other one is dropped (the first, the run's
 * start, stays) and samples are taken twice as far apart. Otherwise unchanged.
 */
export function boundSeries<T>(lines: readonly T[], intervalMs: number, max = MAX_SERIES_LINES): { lines: T[]; intervalMs: number; halved: boolean } {
  if (lines.length < max) return { lines: [...lines], intervalMs, halved: false };
  return { lines: lines.filter((_, i) => i % 2 === 0), intervalMs: intervalMs * 2, halved: true };
}

/** Appends samples of a run to its record, at most one per interval, within the bound. */
export class SeriesWriter {
  /** Lines in the file. */
  private count = 0;
  private intervalMs = SERIES_INTERVAL_MS;
  /** `t` of the last sample written. */
  private last: number | undefined;

  constructor(
    private readonly dir: string,
    private readonly max = MAX_SERIES_LINES,
  ) {}

  /** Counters arrived: a sample when the run entered a new interval since the last one (`force`: in any case, e.g. the end). */
  offer(live: LiveState, force = false): void {
    if (!live.running) return;
    const t = live.elapsedMs();
    // one sample per interval of the run's time (the counters come every 500 ms, not on the second)
    if (!force && this.last !== undefined && Math.floor(t / this.intervalMs) <= Math.floor(this.last / this.intervalMs)) return;
    if (this.last === t && force) return;
    this.write(JSON.stringify(sampleOf(live)));
    this.last = t;
  }

  private write(line: string): void {
    if (this.count >= this.max) {
      // read back (the lines are not kept in memory), rewritten whole, then renamed over the file:
      // a reader sees the old series or the new one
      const file = seriesFile(this.dir);
      const kept = readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
      const bounded = boundSeries(kept, this.intervalMs, this.max);
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, bounded.lines.map((l) => l + '\n').join(''));
      renameSync(tmp, file);
      this.count = bounded.lines.length;
      this.intervalMs = bounded.intervalMs;
    }
    appendFileSync(seriesFile(this.dir), line + '\n');
    this.count++;
  }
}
