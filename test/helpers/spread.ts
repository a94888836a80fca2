import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { tempDir } from './temp-dir.js';

interface RawJob {
  uses?: string;
  default_node?: string;
}

/**
 * A copy of a network file with its jobs spread over `nodes` in file order (job i on node i mod n),
 * its relative module paths made absolute, and its nodes from `clusterFile`: the same network, each
 * pipe crossing between nodes.
 */
export function spreadOverNodes(file: string, nodes: readonly string[], clusterFile: string): string {
  const doc = parse(readFileSync(file, 'utf8')) as { jobs: RawJob[]; nodes?: unknown };
  doc.jobs.forEach((job, i) => {
    if (job.uses !== undefined && !job.uses.startsWith('builtin:') && !isAbsolute(job.uses)) job.uses = resolve(dirname(file), job.uses);
    job.default_node = nodes[i % nodes.length]!;
  });
  doc.nodes = clusterFile;
  const copy = join(tempDir(), basename(file));
  writeFileSync(copy, stringify(doc));
  return copy;
}
