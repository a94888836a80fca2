import { runShape } from '../ceiling/launch-shape.js';
import type { StageSpec } from '../ceiling/shapes.js';
import { cpuPerBlock, medianCpuPerBlock, type CpuPerBlock } from '../lib/cpu-per-block.js';
import { onlyMarker, runBenchNetwork } from '../lib/run-network.js';
import type { NetworkPlacement, ParamOverrides } from '../lib/network-file.js';
import { withTempDir } from '../lib/temp-dir.js';
import { asSinkWindow, type SinkWindow } from '../lib/throughput.js';
import { pairedRepeats } from './paired-repeats.js';
import type { Scenario, ScenarioContext, ScenarioName, ScenarioResult } from './types.js';

export interface Size {
  /** Blocks each source sends. */
  blocks: number;
  /** Blocks the sink receives before its measured window opens. */
  warmup: number;
}

export interface ThroughputSpec {
  name: ScenarioName;
  /** bench/networks/<network>.yaml */
  network: string;
  unit: string;
  sizes: { quick: Size; full: Size };
  /** Blocks the sink receives for `size` (the demo's reduce sends one per 5). */
  sinkBlocks(size: Size): number;
  overrides(size: Size): ParamOverrides;
  ceilingShape(dir: string, size: Size): StageSpec[];
  /** The raw-socket reference of large-block scenarios: the same bytes through a byte pump. */
  rawShape?(dir: string, size: Size): StageSpec[];
  /** The figure from the sink's window (blocks/s or MB/s). */
  figure(w: SinkWindow): number;
  /** Full runs' repeats without --repeats (default 3). */
  defaultRepeats?: number;
  /** The runtime's jobs on nodes (default: all on this machine). */
  placement?: NetworkPlacement;
}

/** A flat-out network measured at its sink, against the same shape without the runtime. */
export async function runThroughput(spec: ThroughputSpec, ctx: ScenarioContext): Promise<ScenarioResult> {
  const size = ctx.quick ? spec.sizes.quick : spec.sizes.full;
  const expected = spec.sinkBlocks(size);
  // CPU per block (per source block) of every process, runtime and ceiling, each repeat
  const cpu = { runtime: [] as CpuPerBlock[], ceiling: [] as CpuPerBlock[] };
  const runtime = async () => {
    const run = await runBenchNetwork(spec.network, spec.overrides(size), spec.placement ? { placement: spec.placement } : {});
    cpu.runtime.push(cpuPerBlock(run.summary.jobs.map((j) => [j.job, j.cpuMs]), size.blocks));
    return spec.figure(asSinkWindow(onlyMarker(run.markers, 'sink'), expected, `${spec.name} (runtime)`));
  };
  const shapeFigure = (shape: (dir: string, size: Size) => StageSpec[], who: string) => () =>
    withTempDir(async (dir) => {
      const run = await runShape(shape(dir, size));
      if (who === 'ceiling') cpu.ceiling.push(cpuPerBlock(run.cpuMs, size.blocks));
      const m = run.markers.get('sink')?.at(-1);
      if (m === undefined) throw new Error(`${spec.name} (${who}): the sink reported nothing`);
      return spec.figure(asSinkWindow(m, expected, `${spec.name} (${who})`));
    });
  const f = await pairedRepeats(
    ctx.repeats,
    {
      runtime,
      ceiling: shapeFigure(spec.ceilingShape, 'ceiling'),
      raw: spec.rawShape && shapeFigure(spec.rawShape, 'raw socket'),
    },
    ctx.log,
    spec.unit,
  );
  return {
    name: spec.name,
    value: f.value,
    unit: spec.unit,
    ceiling: f.ceiling,
    ratio: f.ratio,
    blocks: size.blocks,
    warmup: size.warmup,
    runs: f.values,
    ceilingRuns: f.ceilings,
    ...(f.raw ? { rawSocket: f.raw.value, rawRatio: f.raw.ratio, rawSocketRuns: f.raw.values } : {}),
    cpuNsPerBlock: { runtime: medianCpuPerBlock(cpu.runtime), ceiling: medianCpuPerBlock(cpu.ceiling) },
    cpuProbeMs: f.cpuProbeMs,
  };
}

/** A flat-out scenario that keeps its spec, so `--profile` can run the same network and ceiling. */
export interface ThroughputScenario extends Scenario {
  throughput: ThroughputSpec;
}

export function throughputScenario(
  spec: ThroughputSpec,
  describe: string,
  finish: (r: ScenarioResult) => ScenarioResult = (r) => r,
): ThroughputScenario {
  return {
    name: spec.name,
    unit: spec.unit,
    describe,
    throughput: spec,
    ...(spec.defaultRepeats === undefined ? {} : { defaultRepeats: spec.defaultRepeats }),
    run: async (ctx) => finish(await runThroughput(spec, ctx)),
  };
}

export function isThroughputScenario(s: Scenario): s is ThroughputScenario {
  return 'throughput' in s;
}
