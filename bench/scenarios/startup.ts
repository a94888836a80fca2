import { pairedRun } from './paired-repeats.js';
import { join } from 'node:path';
import { packageRoot } from '../../src/paths.js';
import { ceilingEntry } from '../ceiling/launch-shape.js';
import { cpuProbeMs } from '../lib/cpu-probe.js';
import { benchNetwork, materializeNetwork } from '../lib/network-file.js';
import { checkSharedClock } from '../lib/shared-clock-check.js';
import { median, round } from '../lib/stats.js';
import { withTempDir } from '../lib/temp-dir.js';
import { timeCommand, type Timing } from '../lib/time-command.js';
import type { Scenario, ScenarioContext, ScenarioResult } from './types.js';

/** The demo's size: 50 blocks per counter. */
export const DEMO_BLOCKS = 50;

/**
 * [startup] `marvelo run` of the 6-job demo (50 blocks per counter): time to the first block at the
 * sink and total wall time. Ceiling: a client process that starts the same six processes without the
 * runtime (ceiling/startup-client.ts), timed the same way.
 */
export const startup: Scenario = {
  name: 'startup',
  unit: 'ms',
  describe: 'marvelo run of the 6-job demo: ms from spawning the CLI to the first block at the sink',
  run: (ctx: ScenarioContext): Promise<ScenarioResult> =>
    withTempDir(async (dir) => {
      await checkSharedClock();
      const file = materializeNetwork(benchNetwork('join-demo'), {
        count1: { blocks: DEMO_BLOCKS },
        count2: { blocks: DEMO_BLOCKS },
        count3: { blocks: DEMO_BLOCKS },
        sink: { warmup: 0 },
      }, dir);
      const cli = join(packageRoot(), 'dist', 'cli', 'main.js');
      const runtime = () => timeCommand([cli, 'run', file, '--json'], 'marvelo run');
      const ceiling = () => timeCommand([ceilingEntry(), 'startup-client', '--blocks', String(DEMO_BLOCKS)], 'the startup ceiling');

      // one untimed pair first: the first start after a build pays for a cold file cache
      await runtime();
      await ceiling();
      const runs: Timing[] = [];
      const ceilings: Timing[] = [];
      const probes: number[] = [];
      const repeats = ctx.quick ? ctx.repeats : Math.max(ctx.repeats, 5);
      for (let i = 0; i < repeats; i++) {
        probes.push(round(cpuProbeMs(), 3));
        const pair = await pairedRun(i, runtime, ceiling);
        runs.push(pair.runtime);
        ceilings.push(pair.ceiling);
        ctx.log(`  repeat ${i + 1}/${repeats}: runtime first block ${runs.at(-1)!.firstBlockMs.toFixed(0)} ms, wall ${runs.at(-1)!.wallMs.toFixed(0)} ms; ceiling ${ceilings.at(-1)!.firstBlockMs.toFixed(0)} / ${ceilings.at(-1)!.wallMs.toFixed(0)} ms`);
      }
      const mid = (xs: Timing[], k: keyof Timing) => round(median(xs.map((x) => x[k])));
      return {
        name: 'startup',
        value: mid(runs, 'firstBlockMs'),
        unit: 'ms',
        ceiling: mid(ceilings, 'firstBlockMs'),
        ratio: round(median(runs.map((r, i) => r.firstBlockMs / ceilings[i]!.firstBlockMs)), 3),
        wallMs: mid(runs, 'wallMs'),
        ceilingWallMs: mid(ceilings, 'wallMs'),
        wallRatio: round(median(runs.map((r, i) => r.wallMs / ceilings[i]!.wallMs)), 3),
        blocksPerSource: DEMO_BLOCKS,
        runs: runs.map((r) => ({ firstBlockMs: round(r.firstBlockMs), wallMs: round(r.wallMs) })),
        ceilingRuns: ceilings.map((r) => ({ firstBlockMs: round(r.firstBlockMs), wallMs: round(r.wallMs) })),
        cpuProbeMs: probes,
      };
    }),
};
