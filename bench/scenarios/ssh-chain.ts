import { chainShape } from '../ceiling/shapes.js';
import { benchNodes, removeBenchRoots, writeBenchCluster } from '../lib/bench-cluster.js';
import { withTempDir } from '../lib/temp-dir.js';
import { blocksPerSecond } from '../lib/throughput.js';
import { runThroughput, type ThroughputSpec } from './chain-throughput.js';
import { withBenchTestbed } from './ssh-skip.js';
import type { Scenario } from './types.js';

/** The ceiling's pipes listen on these ports in the nodes' namespaces (below Linux's ephemeral range). */
const CEILING_BASE_PORT = 27_100;

/**
 * [ssh-chain] the small chain (source -> forward -> sink, msgpack integers, flat out) with each job on
 * its own node of the SSH test-bed (n1, n2, n3): blocks/s at the sink. Its ceiling is small-chain's,
 * each stage run in its node's network namespace and the pipes over TCP between the same addresses.
 * The sink's window is taken on its own clock, so where it runs does not matter to the figure.
 */
export const sshChain: Scenario = {
  name: 'ssh-chain',
  unit: 'blocks/s',
  needsTestbed: true,
  defaultRepeats: 5,
  describe: 'small msgpack blocks, source -> forward -> sink on 3 SSH nodes (TCP between them), blocks/s at the sink',
  run: (ctx) =>
    withBenchTestbed('ssh-chain', 'blocks/s', ctx, (bed) =>
      withTempDir(async (dir) => {
        const nodes = benchNodes(bed);
        const spec: ThroughputSpec = {
          name: 'ssh-chain',
          network: 'small-chain',
          unit: 'blocks/s',
          // 10 M blocks as in small-chain, whose shorter runs flattered the runtime (docs/performance.md)
          sizes: { quick: { blocks: 400_000, warmup: 50_000 }, full: { blocks: 10_000_000, warmup: 1_000_000 } },
          sinkBlocks: (s) => s.blocks,
          overrides: (s) => ({ source: { blocks: s.blocks }, sink: { warmup: s.warmup } }),
          placement: { nodes: writeBenchCluster(bed, dir), jobs: { source: nodes[0]!.name, forward: nodes[1]!.name, sink: nodes[2]!.name } },
          ceilingShape: (shapeDir, s) =>
            chainShape(shapeDir, {
              payload: 'int',
              blocks: s.blocks,
              forwards: 1,
              warmup: s.warmup,
              placement: { namespaces: nodes.map((n) => n.namespace), hosts: nodes.map((n) => n.host), basePort: CEILING_BASE_PORT },
            }),
          figure: blocksPerSecond,
        };
        try {
          return { ...(await runThroughput(spec, ctx)), nodes: nodes.map((n) => n.name) };
        } finally {
          removeBenchRoots(bed);
        }
      }),
    ),
};
