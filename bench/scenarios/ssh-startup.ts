import { join } from 'node:path';
import { packageRoot } from '../../src/paths.js';
import { benchNodes, emptyCaches, removeBenchRoots, writeBenchCluster } from '../lib/bench-cluster.js';
import { cpuProbeMs } from '../lib/cpu-probe.js';
import { benchNetwork, materializeNetwork } from '../lib/network-file.js';
import { checkSharedClock } from '../lib/shared-clock-check.js';
import { median, round } from '../lib/stats.js';
import { withTempDir } from '../lib/temp-dir.js';
import { timeCommand, type Timing } from '../lib/time-command.js';
import { withBenchTestbed } from './ssh-skip.js';
import { DEMO_BLOCKS } from './startup.js';
import type { Scenario } from './types.js';

/** What `--verbose` says a node shipped: `[marvelo] n1: uploaded 3 files (...)` or `uploaded nothing`. */
const UPLOAD_LINE = /^\[marvelo\] (\S+): uploaded (nothing|\d+ files?)/;

/**
 * [ssh-startup] `marvelo run` of the 6-job demo (50 blocks per counter) over 3 SSH nodes: the counters
 * on n1..n3, the join on n1, the reduce on n2, the timed sink on the client (LOCAL), so its first-block
 * time is read on the client's clock, the one `marvelo run` was spawned on, as it would be on real
 * machines. ms from spawning the CLI to the first block at the sink, cold (every node's cache emptied
 * first: everything is shipped) and warm (the run right after: nothing is shipped). No ceiling.
 */
export const sshStartup: Scenario = {
  name: 'ssh-startup',
  unit: 'ms',
  needsTestbed: true,
  describe: 'marvelo run of the demo over 3 SSH nodes: ms from spawning the CLI to the first sink block, warm (and cold: empty caches)',
  run: (ctx) =>
    withBenchTestbed('ssh-startup', 'ms', ctx, (bed) =>
      withTempDir(async (dir) => {
        await checkSharedClock();
        const nodes = benchNodes(bed).map((n) => n.name);
        const file = materializeNetwork(
          benchNetwork('join-demo'),
          { count1: { blocks: DEMO_BLOCKS }, count2: { blocks: DEMO_BLOCKS }, count3: { blocks: DEMO_BLOCKS }, sink: { warmup: 0 } },
          dir,
          {
            nodes: writeBenchCluster(bed, dir),
            jobs: { count1: nodes[0]!, count2: nodes[1]!, count3: nodes[2]!, join: nodes[0]!, reduce: nodes[1]!, sink: 'LOCAL' },
          },
        );
        const cli = join(packageRoot(), 'dist', 'cli', 'main.js');
        /** One run; throws unless every node shipped what a cold (or warm) start ships. */
        const run = async (kind: 'cold' | 'warm'): Promise<Timing> => {
          const uploads = new Map<string, string>();
          const t = await timeCommand([cli, 'run', file, '--verbose'], `marvelo run (${kind})`, (line) => {
            const m = UPLOAD_LINE.exec(line);
            if (m) uploads.set(m[1]!, m[2]!);
          });
          for (const node of nodes) {
            const shipped = uploads.get(node);
            if (shipped === undefined || (shipped === 'nothing') !== (kind === 'warm')) {
              throw new Error(`a ${kind} run of ssh-startup: node ${node} ${shipped === undefined ? 'reported no upload line' : `uploaded ${shipped}`}`);
            }
          }
          return t;
        };
        try {
          emptyCaches(bed);
          await run('cold'); // untimed: the first start after a build pays for the client's cold file cache
          const cold: Timing[] = [];
          const warm: Timing[] = [];
          const probes: number[] = [];
          const repeats = ctx.quick ? ctx.repeats : Math.max(ctx.repeats, 5);
          for (let i = 0; i < repeats; i++) {
            probes.push(round(cpuProbeMs(), 3));
            emptyCaches(bed);
            cold.push(await run('cold'));
            warm.push(await run('warm'));
            ctx.log(`  repeat ${i + 1}/${repeats}: cold first block ${cold.at(-1)!.firstBlockMs.toFixed(0)} ms (wall ${cold.at(-1)!.wallMs.toFixed(0)}), warm ${warm.at(-1)!.firstBlockMs.toFixed(0)} ms (wall ${warm.at(-1)!.wallMs.toFixed(0)})`);
          }
          const mid = (xs: Timing[], k: keyof Timing) => round(median(xs.map((x) => x[k])));
          const each = (xs: Timing[]) => xs.map((r) => ({ firstBlockMs: round(r.firstBlockMs), wallMs: round(r.wallMs) }));
          return {
            name: 'ssh-startup',
            value: mid(warm, 'firstBlockMs'),
            unit: 'ms',
            ceiling: null,
            ratio: null,
            coldMs: mid(cold, 'firstBlockMs'),
            wallMs: mid(warm, 'wallMs'),
            coldWallMs: mid(cold, 'wallMs'),
            blocksPerSource: DEMO_BLOCKS,
            placement: { count1: nodes[0], count2: nodes[1], count3: nodes[2], join: nodes[0], reduce: nodes[1], sink: 'LOCAL' },
            runs: each(warm),
            coldRuns: each(cold),
            cpuProbeMs: probes,
          };
        } finally {
          removeBenchRoots(bed);
        }
      }),
    ),
};
