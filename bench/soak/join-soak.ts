/**
 * The join soak: N blocks through two counters, a join and a checking sink, lossless. The result must be
 * exact (every block checked by the sink, the checksum equal to its closed form, every pipe carrying N
 * blocks), and every worker's RSS is sampled over the run: start, end, peak and slope.
 */
import { CHECKSUM_MOD } from '../lib/checksum.js';
import { nowNs } from '../lib/clock.js';
import { summarizeRss, type RssSeriesSummary, type Sample } from '../lib/rss-series.js';
import { onlyMarker, runBenchNetwork } from '../lib/run-network.js';

/** RSS sampling interval of the workers (ms). */
const SAMPLE_MS = 500;
/**
 * A worker whose RSS ends more than this above where it started is not flat (over 10 M blocks, a leak
 * of 4 bytes per block). The slope is reported too, but over a short run it is mostly noise.
 */
export const FLAT_GROWTH_MB = 32;

export interface JoinSoakResult {
  blocks: number;
  seconds: number;
  problems: string[];
  rss: Record<string, RssSeriesSummary>;
}

/** Sum over k = 1..n of 2 k^2, mod CHECKSUM_MOD: n (n + 1) (2n + 1) / 3. */
export function expectedChecksum(n: number): number {
  const big = BigInt(n);
  return Number(((big * (big + 1n) * (2n * big + 1n)) / 3n) % BigInt(CHECKSUM_MOD));
}

export async function joinSoak(blocks: number): Promise<JoinSoakResult> {
  const start = nowNs();
  const run = await runBenchNetwork('soak-join', { count1: { blocks }, count2: { blocks } }, { metricsMs: SAMPLE_MS });
  const seconds = (nowNs() - start) / 1e9;
  const problems: string[] = [];
  const m = onlyMarker(run.markers, 'sink');
  if (m.blocks !== blocks) problems.push(`the sink received ${String(m.blocks)} blocks, not ${blocks}`);
  if (m.mismatches !== 0) problems.push(`${String(m.mismatches)} blocks differ from 2 k^2 (first: ${String(m.firstMismatch)})`);
  const want = expectedChecksum(blocks);
  if (m.checksum !== want) problems.push(`checksum ${String(m.checksum)}, closed form ${want}`);
  for (const p of run.summary.pipes) {
    if (p.sent !== blocks || p.blocks !== blocks) problems.push(`pipe ${p.pipe}: sent ${p.sent}, received ${p.blocks}, not ${blocks}`);
    if (p.dropped + p.dummies + p.discarded > 0) problems.push(`pipe ${p.pipe} lost blocks on a lossless pipe`);
  }
  const series = new Map<string, Sample[]>();
  for (const s of run.rss) {
    const list = series.get(s.job) ?? [];
    list.push({ t: (s.tNs - start) / 1e9, rss: s.rss });
    series.set(s.job, list);
  }
  const rss: Record<string, RssSeriesSummary> = {};
  for (const [job, list] of series) {
    rss[job] = summarizeRss(list, seconds);
    const growth = rss[job].lastMB - rss[job].firstMB;
    if (growth > FLAT_GROWTH_MB) problems.push(`worker ${job}: RSS grew ${growth.toFixed(1)} MB (from ${rss[job].firstMB} to ${rss[job].lastMB} MB)`);
  }
  return { blocks, seconds, problems, rss };
}
