/**
 * Sparklines of a recorded run (`marvelo runs show` on a terminal): each pipe's blocks/s and each job's
 * CPU % over the run, from the differences of its time series' samples, in block characters.
 */
import type { SeriesSample } from '../../api/records/series.js';
import { compact, fitName } from './units.js';

const BARS = '▁▂▃▄▅▆▇█';

/** `values` in `width` characters at most: neighbours averaged into one character, scaled to the largest. */
export function sparkline(values: readonly number[], width: number): string {
  if (values.length === 0 || width <= 0) return '';
  const n = Math.min(width, values.length);
  const buckets = Array.from({ length: n }, (_, i) => {
    const from = Math.floor((i * values.length) / n);
    const to = Math.max(from + 1, Math.floor(((i + 1) * values.length) / n));
    const part = values.slice(from, to);
    return part.reduce((s, v) => s + v, 0) / part.length;
  });
  const top = Math.max(...buckets);
  return buckets.map((v) => (top <= 0 ? BARS[0] : BARS[Math.min(BARS.length - 1, Math.round((v / top) * (BARS.length - 1)))])).join('');
}

export interface RateSeries {
  name: string;
  /** One rate per interval between two samples. */
  values: number[];
  peak: number;
}

/** Samples closer than this to the next one are left out of the rates (the run's final sample follows the last periodic one closely). */
const MIN_GAP_MS = 500;

/** Each pipe's blocks/s and each job's CPU % between consecutive samples (those at least MIN_GAP_MS apart; the last one always counts). */
export function seriesRates(samples: readonly SeriesSample[]): { pipes: RateSeries[]; jobs: RateSeries[] } {
  const kept: SeriesSample[] = [];
  for (const s of samples) {
    const prev = kept.at(-1);
    if (prev !== undefined && s.t <= prev.t) continue;
    // too close to the one before: that one goes (never the first, the run's start)
    if (prev !== undefined && s.t - prev.t < MIN_GAP_MS && kept.length > 1) kept.pop();
    kept.push(s);
  }
  const pairs = kept.slice(1).map((s, i) => [kept[i]!, s] as const).filter(([a, b]) => b.t > a.t);
  const names = (pick: (s: SeriesSample) => Record<string, unknown>) => [...new Set(samples.flatMap((s) => Object.keys(pick(s))))];
  const rate = (name: string, value: (s: SeriesSample) => number | undefined, scale: number): RateSeries => {
    const values = pairs.map(([a, b]) => (Math.max(0, (value(b) ?? 0) - (value(a) ?? 0)) * scale) / (b.t - a.t));
    return { name, values, peak: Math.max(0, ...values) };
  };
  return {
    pipes: names((s) => s.pipes).map((p) => rate(p, (s) => s.pipes[p]?.blocks, 1000)),
    // CPU ms per ms of the run, as a percentage of one core
    jobs: names((s) => s.jobs).map((j) => rate(j, (s) => s.jobs[j]?.cpuMs, 100)),
  };
}

/** The lines of `marvelo runs show`: a sparkline per pipe and per job, with its peak, within `columns`. */
export function formatSparklines(samples: readonly SeriesSample[], columns = 80): string[] {
  const { pipes, jobs } = seriesRates(samples);
  if (pipes.length + jobs.length === 0 || samples.length < 2) return [];
  const nameW = Math.min(16, Math.max(...[...pipes, ...jobs].map((x) => x.name.length)));
  const tailW = 20; // '  peak 12.3k blocks/s'
  const width = Math.max(8, columns - 1 - 2 - nameW - 1 - tailW);
  const line = (x: RateSeries, peak: string) => `  ${fitName(x.name, nameW).padEnd(nameW)} ${sparkline(x.values, width)}  peak ${peak}`;
  const span = ((samples.at(-1)!.t - samples[0]!.t) / 1000).toFixed(1);
  const out = [`over time (${span} s, ${samples.length} samples):`];
  if (pipes.length > 0) out.push('  pipes, blocks/s:', ...pipes.map((p) => line(p, `${compact(p.peak)} blocks/s`)));
  if (jobs.length > 0) out.push('  jobs, CPU % of one core:', ...jobs.map((j) => line(j, `${Math.round(j.peak)}%`)));
  return out;
}
