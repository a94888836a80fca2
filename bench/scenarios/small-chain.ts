import { chainShape } from '../ceiling/shapes.js';
import { blocksPerSecond } from '../lib/throughput.js';
import { throughputScenario } from './chain-throughput.js';

/** [small-chain] small msgpack blocks (integers), source -> forward -> sink, flat out: blocks/s at the sink. */
export const smallChain = throughputScenario(
  {
    name: 'small-chain',
    network: 'small-chain',
    unit: 'blocks/s',
    sizes: { quick: { blocks: 400_000, warmup: 50_000 }, full: { blocks: 2_000_000, warmup: 200_000 } },
    sinkBlocks: (s) => s.blocks,
    overrides: (s) => ({ source: { blocks: s.blocks }, sink: { warmup: s.warmup } }),
    ceilingShape: (dir, s) => chainShape(dir, { payload: 'int', blocks: s.blocks, forwards: 1, warmup: s.warmup }),
    figure: blocksPerSecond,
    // a repeat takes ~2 s, and the host's speed moves single repeats between 0.4 and 0.8 of the ceiling
    defaultRepeats: 7,
  },
  'small msgpack blocks, source -> forward -> sink, blocks/s at the sink',
);
