/**
 * Edits of the parsed network file's YAML document (for `defaults:` and run overrides), done before the
 * schema sees it. A node reached through an alias is copied before it is changed, so an edit of one job
 * never changes another that shares the anchor; copies keep their positions in the file.
 */
import { isMap, isScalar, isSeq, Pair, Scalar, YAMLMap, YAMLSeq, type Node } from 'yaml';
import { keyText, type YamlSource } from './source.js';

/** A deep copy of `node` with every alias replaced by a copy of what it names. */
export function copyOf(src: YamlSource, node: unknown): unknown {
  const n = src.deref(node);
  if (isMap(n)) {
    const map = new YAMLMap();
    map.range = n.range;
    map.flow = n.flow;
    for (const p of n.items) map.items.push(new Pair(isScalar(p.key) ? p.key.clone() : p.key, copyOf(src, p.value)));
    return map;
  }
  if (isSeq(n)) {
    const seq = new YAMLSeq();
    seq.range = n.range;
    seq.flow = n.flow;
    for (const item of n.items) seq.items.push(copyOf(src, item));
    return seq;
  }
  if (isScalar(n)) return n.clone();
  return n;
}

export function pairOf(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((p) => keyText(p.key) === key) as Pair | undefined;
}

/** The value at `key` of `map`, its own (an alias is replaced by a copy); undefined when absent. */
export function ownChild(src: YamlSource, map: YAMLMap, key: string): unknown {
  const pair = pairOf(map, key);
  if (!pair) return undefined;
  if (pair.value !== src.deref(pair.value)) pair.value = copyOf(src, pair.value);
  return pair.value;
}

/** Sets `key` of `map` to `value` (a new key goes last). */
export function setChild(map: YAMLMap, key: string, value: Node): void {
  const pair = pairOf(map, key);
  if (pair) pair.value = value;
  else map.items.push(new Pair(new Scalar(key), value));
}

/** The items of the `jobs:` list, each the job's own map (non-maps are left for the schema to refuse). */
export function jobMaps(src: YamlSource): YAMLMap[] {
  const root = src.doc.contents;
  if (!isMap(root)) return [];
  const jobs = ownChild(src, root, 'jobs');
  if (!isSeq(jobs)) return [];
  jobs.items = jobs.items.map((item) => (item === src.deref(item) ? item : copyOf(src, item)));
  return jobs.items.filter((item): item is YAMLMap => isMap(item));
}

/** A job's name as written (undefined when it has none, or not a text). */
export function jobName(job: YAMLMap): string | undefined {
  const value = pairOf(job, 'name')?.value;
  return isScalar(value) && typeof value.value === 'string' ? value.value : undefined;
}
