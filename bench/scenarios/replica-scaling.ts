import { cpus } from 'node:os';
import { benchNodes, removeBenchRoots, writeBenchCluster } from '../lib/bench-cluster.js';
import { cpuProbeMs } from '../lib/cpu-probe.js';
import { onlyMarker, runBenchNetwork } from '../lib/run-network.js';
import { median, round } from '../lib/stats.js';
import { withTempDir } from '../lib/temp-dir.js';
import { asSinkWindow, type SinkWindow } from '../lib/throughput.js';
import { withBenchTestbed } from './ssh-skip.js';
import type { Scenario } from './types.js';

const REPLICAS = [1, 2, 4] as const;
/**
 * Multiply-adds per block: about 0.5 ms of one core here, so the connector is what limits the chain and
 * the source, splitter, merger and sink (a few us per block each) take little of the cores it needs.
 */
const SIZES = { quick: { blocks: 3_000, warmup: 200, iterations: 400_000 }, full: { blocks: 12_000, warmup: 1_000, iterations: 400_000 } };

/**
 * [replica-scaling] a CPU-heavy connector (a fixed amount of arithmetic per block) between a source
 * and a sink, run with `replicas:` 1, 2 and 4 on the SSH test-bed's nodes (placement spreads the
 * replicas), blocks/s at the sink. The ceiling is linear scaling up to the machine's cores: one
 * replica's throughput times min(replicas, cores), from the same repeat. value/ratio: the replica
 * count equal to the cores (2 here; the target is >= 1.7x one replica, ratio >= 0.85).
 */
export const replicaScaling: Scenario = {
  name: 'replica-scaling',
  unit: 'blocks/s',
  needsTestbed: true,
  describe: 'a CPU-heavy connector with replicas 1, 2, 4 on the SSH nodes; value: with as many replicas as cores, ceiling: linear scaling from one',
  run: (ctx) =>
    withBenchTestbed('replica-scaling', 'blocks/s', ctx, (bed) =>
      withTempDir(async (dir) => {
        const size = ctx.quick ? SIZES.quick : SIZES.full;
        const cores = cpus().length;
        const atCores = REPLICAS.includes(cores as 2) ? cores : 2;
        const placement = { nodes: writeBenchCluster(bed, dir), jobs: {} };
        const measure = async (replicas: number) => {
          const run = await runBenchNetwork(
            'replica-scaling',
            { source: { blocks: size.blocks }, work: { iterations: size.iterations }, sink: { warmup: size.warmup } },
            { placement, jobKeys: { work: { replicas } } },
          );
          return wholeStream(asSinkWindow(onlyMarker(run.markers, 'sink'), size.blocks, `replica-scaling (${replicas} replicas)`));
        };
        const got = new Map<number, number[]>(REPLICAS.map((n) => [n, []]));
        const probes: number[] = [];
        try {
          for (let i = 0; i < ctx.repeats; i++) {
            probes.push(round(cpuProbeMs(), 3));
            const order = i % 2 === 0 ? REPLICAS : [...REPLICAS].reverse();
            for (const n of order) got.get(n)!.push(await measure(n));
            ctx.log(`  repeat ${i + 1}/${ctx.repeats}: ${REPLICAS.map((n) => `${n} replica(s) ${round(got.get(n)![i]!)} blocks/s`).join(', ')}`);
          }
        } finally {
          removeBenchRoots(bed);
        }
        // Speed-ups within each repeat, where the runs were closest in time; medians over the repeats.
        const one = got.get(1)!;
        const rows = REPLICAS.map((n) => {
          const speedup = median(got.get(n)!.map((v, i) => v / one[i]!));
          const linear = Math.min(n, cores);
          return { replicas: n, blocksPerSecond: round(median(got.get(n)!)), speedup: round(speedup, 3), linear, ratioToLinear: round(speedup / linear, 3) };
        });
        for (const r of rows) ctx.log(`  ${r.replicas} replica(s): ${r.blocksPerSecond} blocks/s, ${r.speedup}x one, linear ${r.linear}x, ratio ${r.ratioToLinear}`);
        const at = rows.find((r) => r.replicas === atCores)!;
        return {
          name: 'replica-scaling',
          value: at.blocksPerSecond,
          unit: 'blocks/s',
          ceiling: round(median(one) * Math.min(atCores, cores)),
          ratio: at.ratioToLinear,
          cores,
          speedup: at.speedup,
          rows,
          nodes: benchNodes(bed).map((n) => n.name),
          cpuProbeMs: probes,
        };
      }),
    ),
};

/**
 * Blocks/s from the sink's first block to its last. Not the warm window: replicas that start unevenly
 * (more workers than cores) fill their queues while the merger waits for the late one's first result,
 * and then arrive in a burst that a window opened late would take for throughput.
 */
function wholeStream(w: SinkWindow): number {
  return ((w.lastCount ?? w.count) - 1) / ((w.lastNs - w.firstNs) / 1e9);
}
