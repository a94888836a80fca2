import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, ROOT } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp-dir.js';

/**
 * A copy of a run fixture in a fresh folder (its job paths made absolute), so that its run records land
 * in that folder's `.marvelo/runs`.
 */
export function networkCopy(name: string, dir: string = tempDir()): { dir: string; file: string; runs: string } {
  const text = readFileSync(join(FIXTURES, name), 'utf8')
    .replaceAll('uses: ../../../jobs/', `uses: ${join(ROOT, 'jobs')}/`)
    .replaceAll('uses: jobs.ts', `uses: ${join(FIXTURES, 'jobs.ts')}`);
  const file = join(dir, name);
  writeFileSync(file, text);
  return { dir, file, runs: join(dir, '.marvelo', 'runs') };
}

/** The CLI's environment for records next to the network file (the test helper otherwise sets a runs folder of its own). */
export const NEXT_TO_NETWORK = { MARVELO_RUNS_DIR: '' };
