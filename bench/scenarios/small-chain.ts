import { chainShape } from '../ceiling/shapes.js';
import { blocksPerSecond } from '../lib/throughput.js';
import { throughputScenario } from './chain-throughput.js';

/** [small-chain] small msgpack blocks (integers), source -> forward -> sink, flat out: blocks/s at the sink. */
export const smallChain = throughputScenario(
  {
    name: 'small-chain',
    network: 'small-chain',
    unit: 'blocks/s',
    sizes: { quick: { blocks: 400_000, warmup: 50_000 }, full: { blocks: 10_000_000, warmup: 1_000_000 } },
    sinkBlocks: (s) => s.blocks,
    overrides: (s) => ({ source: { blocks: s.blocks }, sink: { warmup: s.warmup } }),
    ceilingShape: (dir, s) => chainShape(dir, { payload: 'int', blocks: s.blocks, forwards: 1, warmup: s.warmup }),
    figure: blocksPerSecond,
    // A repeat takes ~5 s, and single repeats move between ~0.4 and ~0.55 of the ceiling (how V8 compiled
    // each process, how three busy processes shared two vCPUs).
    // 10 M blocks because shorter runs flatter the runtime: with 2 M (200 k of warm-up), the ceiling's
    // window starts while its processes are still being optimised (docs/performance.md, "Run length").
    defaultRepeats: 7,
  },
  'small msgpack blocks, source -> forward -> sink, blocks/s at the sink',
);
