/**
 * `npm run bench -- --profile <scenario>`: runs a throughput scenario's network once and its ceiling
 * once with every process CPU-profiled (the preload in preload.ts, inherited through NODE_OPTIONS),
 * then prints the top self-time functions of each process. The profiles are kept for a closer look
 * (Chrome DevTools or VS Code open .cpuprofile files).
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageRoot } from '../../src/paths.js';
import { runShape } from '../ceiling/launch-shape.js';
import { onlyMarker, runBenchNetwork } from '../lib/run-network.js';
import { round } from '../lib/stats.js';
import { withTempDir } from '../lib/temp-dir.js';
import { asSinkWindow } from '../lib/throughput.js';
import { isThroughputScenario } from '../scenarios/chain-throughput.js';
import { scenarioByName } from '../scenarios/index.js';
import type { ScenarioName } from '../scenarios/types.js';
import { formatProfileSummary, summarizeProfile } from './cpu-profile.js';

const TOP = 15;

export async function profileScenario(name: ScenarioName, quick: boolean): Promise<void> {
  const scenario = scenarioByName(name);
  if (scenario === undefined || !isThroughputScenario(scenario)) {
    throw new Error(`--profile works with the flat-out scenarios (small-chain, bytes-64k, float32-frames, join-demo), not '${name}'`);
  }
  const spec = scenario.throughput;
  const size = quick ? spec.sizes.quick : spec.sizes.full;
  const expected = spec.sinkBlocks(size);
  const dir = mkdtempSync(join(tmpdir(), `marvelo-profile-${name}-`));
  const preload = pathToFileURL(join(packageRoot(), 'dist', 'bench', 'profile', 'preload.js')).href;
  const nodeOptions = process.env.NODE_OPTIONS;
  process.env.NODE_OPTIONS = `${nodeOptions ?? ''} --import=${preload}`.trim();
  const runDir = join(dir, 'run');
  try {
    process.env.MARVELO_BENCH_PROFILE_DIR = mkdirIn(dir, 'runtime');
    const run = await runBenchNetwork(spec.network, spec.overrides(size), { runDir });
    const runtimeFigure = spec.figure(asSinkWindow(onlyMarker(run.markers, 'sink'), expected, name));

    process.env.MARVELO_BENCH_PROFILE_DIR = mkdirIn(dir, 'ceiling');
    const ceilingRun = await withTempDir((sockets) => runShape(spec.ceilingShape(sockets, size)));
    const ceilingFigure = spec.figure(asSinkWindow(ceilingRun.markers.get('sink')?.at(-1) ?? {}, expected, `${name} ceiling`));

    const out: string[] = [
      `${name}${quick ? ' (quick size)' : ''}, profiled (profiling slows every process down):`,
      `  runtime ${round(runtimeFigure)} ${spec.unit}, ceiling ${round(ceilingFigure)} ${spec.unit}`,
      '',
    ];
    for (const side of ['runtime', 'ceiling']) {
      const folder = join(dir, side);
      for (const file of readdirSync(folder).filter((f) => f.endsWith('.cpuprofile')).sort()) {
        out.push(formatProfileSummary(summarizeProfile(join(folder, file), TOP, packageRoot()), `${side} ${file}`), '');
      }
    }
    out.push(`profiles: ${dir}/{runtime,ceiling}/*.cpuprofile`);
    process.stdout.write(out.join('\n') + '\n');
  } finally {
    if (nodeOptions === undefined) delete process.env.NODE_OPTIONS;
    else process.env.NODE_OPTIONS = nodeOptions;
    delete process.env.MARVELO_BENCH_PROFILE_DIR;
    // the job bundles were needed to map job frames; the profiles stay
    rmSync(runDir, { recursive: true, force: true });
  }
}

function mkdirIn(parent: string, name: string): string {
  const path = join(parent, name);
  mkdirSync(path, { recursive: true });
  return path;
}
