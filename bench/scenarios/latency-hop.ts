import { pairedRun } from './paired-repeats.js';
import { runShape } from '../ceiling/launch-shape.js';
import { chainShape } from '../ceiling/shapes.js';
import { cFloorLatency } from '../lib/c-floor.js';
import { cpuProbeMs } from '../lib/cpu-probe.js';
import { onlyMarker, runBenchNetwork } from '../lib/run-network.js';
import { checkSharedClock } from '../lib/shared-clock-check.js';
import { median, round, type LatencySummary } from '../lib/stats.js';
import { withTempDir } from '../lib/temp-dir.js';
import type { Scenario, ScenarioContext, ScenarioResult } from './types.js';

const RATE = 1000;
/** source -> forward1 -> forward2 -> sink */
const HOPS = 3;
const SIZES = { quick: { blocks: 2_000, warmup: 200 }, full: { blocks: 10_000, warmup: 500 } };

function asLatency(m: Record<string, unknown>, who: string): LatencySummary {
  const l = m.latencyUs as LatencySummary | undefined;
  if (l === undefined || !(l.count > 0)) throw new Error(`${who}: no latency samples: ${JSON.stringify(m)}`);
  return l;
}

/**
 * [latency-hop] per-hop latency at a paced 1 000 blocks/s over a 4-job chain: (sink receive time -
 * source send time) / 3 on the shared monotonic clock (checked first). Value = p50 (us).
 */
export const latencyHop: Scenario = {
  name: 'latency-hop',
  unit: 'us',
  describe: 'per-hop latency (p50) at a paced 1 000 blocks/s over source -> forward -> forward -> sink',
  run: async (ctx: ScenarioContext): Promise<ScenarioResult> => {
    const clock = await checkSharedClock();
    const size = ctx.quick ? SIZES.quick : SIZES.full;
    const runtime = async () => {
      const run = await runBenchNetwork('latency-hop', {
        source: { rate: RATE, blocks: size.blocks },
        sink: { hops: HOPS, warmup: size.warmup },
      });
      return asLatency(onlyMarker(run.markers, 'sink'), 'latency-hop (runtime)');
    };
    const ceiling = () =>
      withTempDir(async (dir) => {
        const run = await runShape(chainShape(dir, { payload: 'time', blocks: size.blocks, forwards: HOPS - 1, warmup: size.warmup, rate: RATE }));
        return asLatency(run.markers.get('sink')?.at(-1) ?? {}, 'latency-hop (ceiling)');
      });
    const runs: LatencySummary[] = [];
    const ceilings: LatencySummary[] = [];
    const probes: number[] = [];
    for (let i = 0; i < ctx.repeats; i++) {
      probes.push(round(cpuProbeMs(), 3));
      const pair = await pairedRun(i, runtime, ceiling);
      runs.push(pair.runtime);
      ceilings.push(pair.ceiling);
      const r = runs.at(-1)!;
      const c = ceilings.at(-1)!;
      ctx.log(`  repeat ${i + 1}/${ctx.repeats}: runtime p50 ${r.p50.toFixed(1)} us p99 ${r.p99.toFixed(1)} us; ceiling p50 ${c.p50.toFixed(1)} us p99 ${c.p99.toFixed(1)} us`);
    }
    // Two floors. Node's: the same chain of Node processes passing the bytes through (no frames, no
    // codecs, no runtime). The machine's: the same chain in C with blocking reads.
    const nodeFloor = await withTempDir(async (dir) => {
      const run = await runShape(chainShape(dir, { payload: 'time', blocks: size.blocks, forwards: HOPS - 1, warmup: size.warmup, rate: RATE, raw: true }));
      return asLatency(run.markers.get('sink')?.at(-1) ?? {}, 'latency-hop (Node floor)');
    });
    ctx.log(`  Node floor (bytes passed through, bench/ceiling/pump-stages.ts): p50 ${nodeFloor.p50.toFixed(1)} us p99 ${nodeFloor.p99.toFixed(1)} us`);
    const floor = await cFloorLatency(RATE, size.blocks, size.warmup, ctx.log);
    if (floor) ctx.log(`  C floor (bench/floor/wake-latency.c): p50 ${floor.p50.toFixed(1)} us p99 ${floor.p99.toFixed(1)} us`);
    const mid = (xs: LatencySummary[], k: 'p50' | 'p99') => round(median(xs.map((x) => x[k])));
    const worst = (xs: LatencySummary[]) => round(Math.max(...xs.map((x) => x.max)));
    const ratios = runs.map((r, i) => r.p50 / ceilings[i]!.p50);
    return {
      name: 'latency-hop',
      value: mid(runs, 'p50'),
      unit: 'us',
      ceiling: mid(ceilings, 'p50'),
      ratio: round(median(ratios), 3),
      p99: mid(runs, 'p99'),
      max: worst(runs),
      ceilingP99: mid(ceilings, 'p99'),
      ceilingMax: worst(ceilings),
      ratioP99: round(median(runs.map((r, i) => r.p99 / ceilings[i]!.p99)), 3),
      nodeFloor: { p50: round(nodeFloor.p50), p99: round(nodeFloor.p99), max: round(nodeFloor.max) },
      cFloor: floor ?? null,
      rate: RATE,
      hops: HOPS,
      samplesPerRun: runs[0]?.count ?? 0,
      clockCheck: clock,
      runs: runs.map((r) => ({ p50: round(r.p50), p99: round(r.p99), max: round(r.max) })),
      ceilingRuns: ceilings.map((r) => ({ p50: round(r.p50), p99: round(r.p99), max: round(r.max) })),
      cpuProbeMs: probes,
    };
  },
};
