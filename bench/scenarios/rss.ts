import { runShape } from '../ceiling/launch-shape.js';
import { chainShape } from '../ceiling/shapes.js';
import { nowNs } from '../lib/clock.js';
import { summarizeRss, type RssSeriesSummary, type Sample } from '../lib/rss-series.js';
import { runBenchNetwork } from '../lib/run-network.js';
import { round } from '../lib/stats.js';
import { withTempDir } from '../lib/temp-dir.js';
import type { Scenario, ScenarioContext, ScenarioResult } from './types.js';

/** Load duration (s) of the runtime; the ceiling runs half as long (its memory settles in seconds). */
const DURATION_S = { quick: 20, full: 60 };
/** RSS sampling interval (ms), for the workers' metrics and the ceiling's reports alike. */
const SAMPLE_MS = { quick: 500, full: 1000 };

function summarizeAll(series: Map<string, Sample[]>, durationS: number): Record<string, RssSeriesSummary> {
  const out: Record<string, RssSeriesSummary> = {};
  for (const [name, s] of series) out[name] = summarizeRss(s, durationS);
  return out;
}

function addSample(series: Map<string, Sample[]>, name: string, sample: Sample): void {
  const list = series.get(name) ?? [];
  list.push(sample);
  series.set(name, list);
}

/**
 * [rss] the small chain flat out for 60 s (20 s quick), every worker's RSS sampled from the runtime's
 * metrics: value = the largest RSS of any worker (MB), and the slope of each worker's second half.
 */
export const rss: Scenario = {
  name: 'rss',
  unit: 'MB',
  describe: 'largest worker RSS (MB) with the small chain flat out; slope of the second half must be ~0',
  run: async (ctx: ScenarioContext): Promise<ScenarioResult> => {
    const durationS = ctx.quick ? DURATION_S.quick : DURATION_S.full;
    const sampleMs = ctx.quick ? SAMPLE_MS.quick : SAMPLE_MS.full;

    ctx.log(`  runtime: small chain flat out for ${durationS} s`);
    const start = nowNs();
    const run = await runBenchNetwork('small-chain', { source: { blocks: 0 }, sink: { warmup: 0 } }, { durationMs: durationS * 1000, metricsMs: sampleMs });
    const workers = new Map<string, Sample[]>();
    for (const s of run.rss) addSample(workers, s.job, { t: (s.tNs - start) / 1e9, rss: s.rss });
    const delivered = run.summary.pipes.find((p) => p.consumer === 'sink')?.blocks ?? 0;

    const ceilingS = durationS / 2;
    ctx.log(`  ceiling: the same chain without the runtime for ${ceilingS} s`);
    const stages = new Map<string, Sample[]>();
    const ceilingStart = nowNs();
    await withTempDir((dir) =>
      runShape(chainShape(dir, { payload: 'int', blocks: 0, forwards: 1, warmup: 0, rssMs: sampleMs }), {
        durationMs: ceilingS * 1000,
        onMarker: (stage, m) => {
          if (typeof m.rss === 'number' && typeof m.tNs === 'number') addSample(stages, stage, { t: (m.tNs - ceilingStart) / 1e9, rss: m.rss });
        },
      }),
    );

    const perWorker = summarizeAll(workers, durationS);
    const perStage = summarizeAll(stages, ceilingS);
    if (Object.keys(perWorker).length === 0) throw new Error('rss: no metrics arrived from the workers');
    const maxOf = (r: Record<string, RssSeriesSummary>) => Math.max(...Object.values(r).map((s) => s.maxMB));
    const value = maxOf(perWorker);
    const ceiling = Object.keys(perStage).length > 0 ? maxOf(perStage) : null;
    return {
      name: 'rss',
      value,
      unit: 'MB',
      ceiling,
      ratio: ceiling === null ? null : round(value / ceiling, 3),
      slopeMBPerMin: Math.max(...Object.values(perWorker).map((s) => s.slopeMBPerMin)),
      durationS,
      sampleMs,
      // blocks delivered over the whole run, start-up included: a lower bound of the rate under load
      approxBlocksPerSecond: round(delivered / durationS),
      workers: perWorker,
      ceilingDurationS: ceilingS,
      ceilingStages: perStage,
    };
  },
};
