import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../../src/paths.js';
import { withTempDir } from './temp-dir.js';

export interface FloorLatency {
  p50: number;
  p99: number;
  max: number;
  count: number;
}

/**
 * The machine's wake-up floor for a paced chain (bench/floor/wake-latency.c): compiled with the
 * system C compiler into a temporary folder and run once. Undefined (with the reason logged) when
 * there is no compiler: the scenario's own figures do not depend on it.
 */
export async function cFloorLatency(rate: number, blocks: number, warmup: number, log: (line: string) => void): Promise<FloorLatency | undefined> {
  return withTempDir(async (dir) => {
    const exe = join(dir, 'wake-latency');
    try {
      execFileSync('cc', ['-O2', '-o', exe, join(packageRoot(), 'bench', 'floor', 'wake-latency.c')], { stdio: 'pipe' });
    } catch (err) {
      log(`  (no C floor: cannot compile bench/floor/wake-latency.c: ${(err as Error).message.split('\n')[0]})`);
      return undefined;
    }
    const out = execFileSync(exe, [String(rate), String(blocks), String(warmup)], { encoding: 'utf8', timeout: 10 * blocks + 30_000 });
    return JSON.parse(out) as FloorLatency;
  });
}
