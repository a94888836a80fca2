import { demoShape } from '../ceiling/shapes.js';
import { blocksPerSecond } from '../lib/throughput.js';
import { throughputScenario } from './chain-throughput.js';

/** Blocks per reduce round (the demo's block_count on p105). */
const GROUP = 5;

/** [join-demo] 3 sources -> join -> reduce (block_count 5) -> sink: blocks/s into the sink. */
export const joinDemo = throughputScenario(
  {
    name: 'join-demo',
    network: 'join-demo',
    unit: 'blocks/s',
    sizes: { quick: { blocks: 150_000, warmup: 3_000 }, full: { blocks: 600_000, warmup: 10_000 } },
    sinkBlocks: (s) => s.blocks / GROUP,
    overrides: (s) => ({
      count1: { blocks: s.blocks },
      count2: { blocks: s.blocks },
      count3: { blocks: s.blocks },
      sink: { warmup: s.warmup },
    }),
    ceilingShape: (dir, s) => demoShape(dir, s),
    figure: blocksPerSecond,
  },
  'the demo shape, 3 sources -> join -> reduce (block_count 5) -> sink, blocks/s into the sink',
  // every sink block is a round of 5 joined triples: each source sent 5x as many
  (r) => ({ ...r, sourceBlocksPerSecondEach: r.value === null ? null : r.value * GROUP }),
);
