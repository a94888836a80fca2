/**
 * The network file's `defaults:` section: values every job gets unless it sets them itself. Maps (env,
 * params, resources) merge key by key, the job's keys winning; other keys fill in only when the job has
 * none. `params` go to module jobs (not builtin: ones, whose params are fixed, nor executables, which take
 * args) and `timeout` to every job that is not an executable (executables have no run() call to time).
 */
import { isMap, isScalar, type Node, type YAMLMap } from 'yaml';
import { copyOf, jobMaps, ownChild, pairOf, setChild } from './doc-edit.js';
import type { YamlSource } from './source.js';
import type { RawResources } from './resources.js';

export interface RawDefaults {
  env?: Record<string, string>;
  params?: Record<string, unknown>;
  resources?: RawResources;
  timeout?: number | string;
  max_queue?: number;
}

type JobKind = 'module' | 'builtin' | 'executable';
const APPLIES: Record<keyof RawDefaults, readonly JobKind[]> = {
  env: ['module', 'builtin', 'executable'],
  params: ['module'],
  resources: ['module', 'builtin', 'executable'],
  timeout: ['module', 'builtin'],
  max_queue: ['module', 'builtin', 'executable'],
};
const MERGED = new Set<keyof RawDefaults>(['env', 'params', 'resources']);

/** Copies `defaults:` into the jobs (the file has passed its schema). True when there was a section. */
export function applyDefaults(src: YamlSource): boolean {
  const root = src.doc.contents;
  const defaults = isMap(root) ? src.deref(pairOf(root, 'defaults')?.value) : undefined;
  if (!isMap(defaults)) return false;
  for (const job of jobMaps(src)) {
    const kind = kindOf(job);
    for (const pair of defaults.items) {
      const key = String(isScalar(pair.key) ? pair.key.value : pair.key) as keyof RawDefaults;
      if (!APPLIES[key]?.includes(kind)) continue;
      fill(src, job, key, pair.value);
    }
  }
  return true;
}

function fill(src: YamlSource, job: YAMLMap, key: string, value: unknown): void {
  const own = ownChild(src, job, key);
  if (own === undefined) return setChild(job, key, copyOf(src, value) as Node);
  const given = src.deref(value);
  if (!MERGED.has(key as keyof RawDefaults) || !isMap(own) || !isMap(given)) return;
  for (const p of given.items) {
    const name = String(isScalar(p.key) ? p.key.value : p.key);
    if (pairOf(own, name) === undefined) setChild(own, name, copyOf(src, p.value) as Node);
  }
}

function kindOf(job: YAMLMap): JobKind {
  if (pairOf(job, 'executable') !== undefined) return 'executable';
  const uses = pairOf(job, 'uses')?.value;
  return isScalar(uses) && typeof uses.value === 'string' && uses.value.startsWith('builtin:') ? 'builtin' : 'module';
}
