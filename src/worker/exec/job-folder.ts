import { cpSync, mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { MarveloError } from '../../errors.js';

/**
 * The working folder of an executable job, `<run dir>/jobs/<job>/` (under `jobs/`, so no job name can
 * collide with the run folder's own entries), with each dependency copied in by its name: a file
 * `lut.bin` becomes `./lut.bin`, a folder `data/` becomes `./data/`.
 */
export function prepareJobFolder(runDir: string, job: string, dependencies: readonly string[]): string {
  const folder = join(runDir, 'jobs', job);
  mkdirSync(folder, { recursive: true });
  for (const dep of dependencies) {
    try {
      cpSync(dep, join(folder, basename(dep)), { recursive: true, dereference: true });
    } catch (err) {
      throw new MarveloError('MRV_JOB_FAILED', `cannot copy the dependency ${dep} into the job folder ${folder}: ${(err as Error).message}`, {
        job,
        hint: 'dependencies must be readable files or folders',
        cause: err,
      });
    }
  }
  return folder;
}
