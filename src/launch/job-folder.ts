import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { MarveloError } from '../errors.js';
import type { FolderEntry } from './shipment.js';

/**
 * The working folder of a job on this machine, `<run dir>/jobs/<job>/` (under `jobs/`, so no job name
 * can collide with the run folder's own entries), with each dependency copied in by its name: a file
 * `lut.bin` becomes `./lut.bin`, a folder `data/` becomes `./data/`.
 */
export function prepareJobFolder(runDir: string, job: string, entries: readonly FolderEntry[]): string {
  const folder = join(runDir, 'jobs', job);
  mkdirSync(folder, { recursive: true });
  for (const { rel, artifact } of entries) {
    const target = join(folder, rel);
    try {
      mkdirSync(dirname(target), { recursive: true });
      copyFileSync(artifact.source, target);
    } catch (err) {
      throw new MarveloError('MRV_LAUNCH_WORKER', `cannot copy the dependency ${artifact.source} into the job folder ${folder}: ${(err as Error).message}`, {
        job,
        hint: 'dependencies must be readable files or folders',
        cause: err,
      });
    }
  }
  return folder;
}
