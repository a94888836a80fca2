import { join } from 'node:path';
import { fixture, startCli, type CliRun } from './cli.js';
import { tempDir } from './temp-dir.js';

/** Where a worker listens for its data connections. */
export type DataPort = { path: string } | { host: string; port: number };

export interface GatedRun {
  run: CliRun;
  /** The source's data port, for intruders. */
  target: DataPort;
  /** Creating this file lets the source go on to its end. */
  gate: string;
}

/**
 * Starts gated.yaml (a source that sends 1, then waits for its gate file) over `transport`, and resolves
 * once the sink has the first value: the data connection is made and the run is in its middle.
 * `env`: more of the CLI's environment (MARVELO_RUNS_DIR for its record).
 */
export async function startGatedRun(transport: 'unix' | 'tcp', env: Record<string, string> = {}): Promise<GatedRun> {
  const dir = tempDir();
  const gate = join(dir, 'go');
  const run = startCli(['run', fixture('gated.yaml'), '--json', '--verbose', '--transport', transport, '--run-dir', dir], {
    env: { GATE: gate, ...env },
  });
  const m = await run.waitFor(/src on local pid \d+ listening (unix (\S+)|tcp ([\d.]+):(\d+))/, 'stderr');
  await run.waitFor(/^sink\s*\| 1$/m, 'stderr');
  return { run, gate, target: transport === 'unix' ? { path: m[2]! } : { host: m[3]!, port: Number(m[4]) } };
}
