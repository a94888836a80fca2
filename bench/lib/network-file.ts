import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { packageRoot } from '../../src/paths.js';

/** Params to merge into jobs of a network, by job name. */
export type ParamOverrides = Record<string, Record<string, unknown>>;
/** Keys of the network file to set on jobs (e.g. replicas), by job name. */
export type JobKeyOverrides = Record<string, Record<string, unknown>>;

/** A bench network template: bench/networks/<name>.yaml. */
export function benchNetwork(name: string): string {
  return join(packageRoot(), 'bench', 'networks', `${name}.yaml`);
}

interface RawJob {
  name: string;
  uses?: string;
  params?: Record<string, unknown>;
  default_node?: string;
  groups?: string[];
}

/** Where a network's jobs run: a cluster file, and per job a node (`default_node`) or `LOCAL` (the client). */
export interface NetworkPlacement {
  /** The cluster file (`nodes:` list) the copy names. */
  nodes: string;
  /** Job name -> node name, or 'LOCAL'. */
  jobs: Record<string, string>;
}

/**
 * Writes a copy of a network template into `dir` with job params merged in (the bench's sizes), and
 * every relative `uses:` made absolute so the copy finds the same job modules. Returns its path.
 */
export function materializeNetwork(template: string, overrides: ParamOverrides, dir: string, placement?: NetworkPlacement, jobKeys: JobKeyOverrides = {}): string {
  const doc = parse(readFileSync(template, 'utf8')) as { jobs: RawJob[]; nodes?: string };
  const base = dirname(template);
  const unknown = new Set(Object.keys(overrides));
  for (const job of doc.jobs) {
    if (job.uses !== undefined && !job.uses.startsWith('builtin:') && !isAbsolute(job.uses)) job.uses = resolve(base, job.uses);
    Object.assign(job, jobKeys[job.name]);
    const extra = overrides[job.name];
    if (extra) {
      job.params = { ...job.params, ...extra };
      unknown.delete(job.name);
    }
  }
  if (unknown.size > 0) throw new Error(`${template} has no job named ${[...unknown].join(', ')}`);
  if (placement) place(doc, placement, template);
  const file = join(dir, basename(template));
  writeFileSync(file, stringify(doc));
  return file;
}

function place(doc: { jobs: RawJob[]; nodes?: string }, placement: NetworkPlacement, template: string): void {
  doc.nodes = placement.nodes;
  const unplaced = new Set(Object.keys(placement.jobs));
  for (const job of doc.jobs) {
    const node = placement.jobs[job.name];
    if (node === undefined) continue;
    unplaced.delete(job.name);
    if (node === 'LOCAL') job.groups = ['LOCAL'];
    else job.default_node = node;
  }
  if (unplaced.size > 0) throw new Error(`${template} has no job named ${[...unplaced].join(', ')}`);
}
