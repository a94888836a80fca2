/**
 * `marvelo import`: an original MARVELO network folder (config.py and the modules it imports) as a
 * network file and a cluster file, with a note for everything that could not be carried over as it was.
 */
import { resolve } from 'node:path';
import { validateNetwork, type ValidationResult } from '../config/load.js';
import { displayPath } from '../errors.js';
import { mapNetwork } from './map-network.js';
import type { ImportNote } from './notes.js';
import { readOriginalNetwork } from './read-original.js';
import { CLUSTER_FILE, writeImported, type WrittenFiles } from './write-files.js';

export type { ImportNote } from './notes.js';

export interface ImportOptions {
  /** Where to write network.yaml and cluster.yaml (default: the network folder itself). */
  out?: string;
  /** Replace files that exist. */
  force?: boolean;
  /** The Python interpreter that reads config.py (default: $MARVELO_PYTHON, else python3). */
  python?: string;
}

export interface ImportResult {
  files: WrittenFiles;
  jobs: number;
  pipes: number;
  nodes: number;
  notes: ImportNote[];
  /** `marvelo validate` of the written network file. */
  validation: ValidationResult;
}

export async function importNetwork(folder: string, opts: ImportOptions = {}): Promise<ImportResult> {
  const original = await readOriginalNetwork(folder, { python: opts.python });
  const outDir = resolve(opts.out ?? original.folder);
  const mapped = mapNetwork(original, outDir, `./${CLUSTER_FILE}`);
  const files = writeImported(mapped, outDir, displayPath(original.folder), opts.force === true);
  const validation = await validateNetwork(files.network);
  const jobs = (mapped.network.jobs as unknown[]).length;
  const pipes = new Set((mapped.network.jobs as { inputs?: string[]; outputs?: string[] }[]).flatMap((j) => [...(j.inputs ?? []), ...(j.outputs ?? [])])).size;
  return { files, jobs, pipes, nodes: mapped.nodes.length, notes: mapped.notes, validation };
}
