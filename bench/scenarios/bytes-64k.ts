import { chainShape } from '../ceiling/shapes.js';
import { megabytesPerSecond } from '../lib/throughput.js';
import { throughputScenario } from './chain-throughput.js';

/** [bytes-64k] 64 KiB blocks on bytes pipes, source -> sink (one pipe): payload MB/s at the sink. */
export const bytes64k = throughputScenario(
  {
    name: 'bytes-64k',
    network: 'bytes-64k',
    unit: 'MB/s',
    sizes: { quick: { blocks: 8_000, warmup: 1_000 }, full: { blocks: 40_000, warmup: 4_000 } },
    sinkBlocks: (s) => s.blocks,
    overrides: (s) => ({ source: { blocks: s.blocks }, sink: { warmup: s.warmup } }),
    ceilingShape: (dir, s) => chainShape(dir, { payload: 'bytes', blocks: s.blocks, forwards: 0, warmup: s.warmup }),
    rawShape: (dir, s) => chainShape(dir, { payload: 'bytes', blocks: s.blocks, forwards: 0, warmup: s.warmup, raw: true }),
    figure: (w) => megabytesPerSecond(w, 'bytes'),
  },
  '64 KiB bytes blocks, source -> sink (one pipe), payload MB/s at the sink',
);
