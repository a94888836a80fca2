import { onlyMarker, runBenchNetwork } from '../lib/run-network.js';
import { asSinkWindow, blocksPerSecond } from '../lib/throughput.js';
import { pairedRepeats } from './paired-repeats.js';
import type { Scenario } from './types.js';

const SIZES = { quick: { blocks: 400_000, warmup: 50_000 }, full: { blocks: 10_000_000, warmup: 1_000_000 } };

/**
 * [ui-overhead] the small chain with the web view served and a page's event stream open (`marvelo run
 * --ui`), against the same chain without it, in alternating paired repeats: the view must not slow the
 * data path (ratio >= 0.97).
 */
export const uiOverhead: Scenario = {
  name: 'ui-overhead',
  unit: 'blocks/s',
  describe: 'the small chain with the web view open (value), against the same chain without it (ceiling)',
  defaultRepeats: 9,
  run: async (ctx) => {
    const size = ctx.quick ? SIZES.quick : SIZES.full;
    const overrides = { source: { blocks: size.blocks }, sink: { warmup: size.warmup } };
    const measure = (view: boolean) => async () => {
      const run = await runBenchNetwork('small-chain', overrides, { view });
      return blocksPerSecond(asSinkWindow(onlyMarker(run.markers, 'sink'), size.blocks, `ui-overhead (${view ? 'with' : 'without'} the view)`));
    };
    const f = await pairedRepeats(ctx.repeats, { runtime: measure(true), ceiling: measure(false) }, ctx.log, 'blocks/s');
    return { name: 'ui-overhead', value: f.value, unit: 'blocks/s', ceiling: f.ceiling, ratio: f.ratio, runs: f.values, ceilingRuns: f.ceilings, cpuProbeMs: f.cpuProbeMs };
  },
};
