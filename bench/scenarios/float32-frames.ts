import { chainShape } from '../ceiling/shapes.js';
import { megabytesPerSecond } from '../lib/throughput.js';
import { throughputScenario } from './chain-throughput.js';

/** [float32-frames] Float32Array(1024) frames on float32 pipes, source -> sink (one pipe): MB/s. */
export const float32Frames = throughputScenario(
  {
    name: 'float32-frames',
    network: 'float32-frames',
    unit: 'MB/s',
    sizes: { quick: { blocks: 100_000, warmup: 10_000 }, full: { blocks: 500_000, warmup: 50_000 } },
    sinkBlocks: (s) => s.blocks,
    overrides: (s) => ({ source: { blocks: s.blocks }, sink: { warmup: s.warmup } }),
    ceilingShape: (dir, s) => chainShape(dir, { payload: 'float32', blocks: s.blocks, forwards: 0, warmup: s.warmup }),
    rawShape: (dir, s) => chainShape(dir, { payload: 'float32', blocks: s.blocks, forwards: 0, warmup: s.warmup, raw: true }),
    figure: (w) => megabytesPerSecond(w, 'float32'),
  },
  'Float32Array(1024) frames, source -> sink (one pipe), payload MB/s at the sink',
);
