import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { packageRoot } from '../../src/paths.js';

/** Params to merge into jobs of a network, by job name. */
export type ParamOverrides = Record<string, Record<string, unknown>>;

/** A bench network template: bench/networks/<name>.yaml. */
export function benchNetwork(name: string): string {
  return join(packageRoot(), 'bench', 'networks', `${name}.yaml`);
}

interface RawJob {
  name: string;
  uses?: string;
  params?: Record<string, unknown>;
}

/**
 * Writes a copy of a network template into `dir` with job params merged in (the bench's sizes), and
 * every relative `uses:` made absolute so the copy finds the same job modules. Returns its path.
 */
export function materializeNetwork(template: string, overrides: ParamOverrides, dir: string): string {
  const doc = parse(readFileSync(template, 'utf8')) as { jobs: RawJob[] };
  const base = dirname(template);
  const unknown = new Set(Object.keys(overrides));
  for (const job of doc.jobs) {
    if (job.uses !== undefined && !job.uses.startsWith('builtin:') && !isAbsolute(job.uses)) job.uses = resolve(base, job.uses);
    const extra = overrides[job.name];
    if (extra) {
      job.params = { ...job.params, ...extra };
      unknown.delete(job.name);
    }
  }
  if (unknown.size > 0) throw new Error(`${template} has no job named ${[...unknown].join(', ')}`);
  const file = join(dir, basename(template));
  writeFileSync(file, stringify(doc));
  return file;
}
