import { round, slope } from './stats.js';

export interface Sample {
  /** Seconds since the load started. */
  t: number;
  /** Bytes. */
  rss: number;
}

export interface RssSeriesSummary {
  samples: number;
  firstMB: number;
  lastMB: number;
  maxMB: number;
  /** Theil-Sen slope over the second half of the run, MB per minute (0 = flat; a single step does not count). */
  slopeMBPerMin: number;
  /** The samples, MB, rounded to 0.1 (at most ~60 per process). */
  seriesMB: number[];
}

const MB = 1024 * 1024;

/** Summarises one process's RSS series; the slope ignores the first half (start-up, JIT, heap sizing). */
export function summarizeRss(series: readonly Sample[], durationS: number): RssSeriesSummary {
  const secondHalf = series.filter((s) => s.t >= durationS / 2).map((s) => ({ x: s.t / 60, y: s.rss / MB }));
  return {
    samples: series.length,
    firstMB: round((series[0]?.rss ?? 0) / MB, 3),
    lastMB: round((series.at(-1)?.rss ?? 0) / MB, 3),
    maxMB: round(Math.max(0, ...series.map((s) => s.rss)) / MB, 3),
    slopeMBPerMin: round(slope(secondHalf), 2),
    seriesMB: series.map((s) => Math.round((s.rss / MB) * 10) / 10),
  };
}
