/**
 * Per-run overrides (`marvelo run --set/--env/--args/--timeout/--max-retries`, RunOptions.overrides),
 * written into the parsed network file before its schema is checked, so every rule of the file applies
 * to them, and an error in one points at its option instead of a line.
 *
 * Precedence, highest first: an override of one job (`set` under jobs.<job>, `args`) > a global one
 * (`env`: every job) > the job as written > the file's `defaults:` > built-in defaults.
 */
import { isMap, isSeq, Pair, Scalar, YAMLMap, type Node } from 'yaml';
import { MarveloError, type SourceLocation } from '../errors.js';
import { applyDefaults } from './defaults.js';
import { jobMaps, jobName, ownChild } from './doc-edit.js';
import { keyText, type YamlSource } from './source.js';
import { didYouMean } from './suggest.js';

export interface RunOverrides {
  /** Values by key path, e.g. { 'jobs.count.params.start': 5 }: a path below jobs names the job. */
  set?: Record<string, unknown>;
  /** Environment variables of every job (a job's own `set` of jobs.<job>.env.<K> wins). */
  env?: Record<string, string>;
  /** Job -> the argument vector that replaces its `args` (an executable job's). */
  args?: Record<string, string[]>;
  /** The network's `timeout:` (a duration: seconds or e.g. 30m). */
  timeout?: string | number;
  /** The network's `max_retries:`. */
  maxRetries?: number;
}

/** The file name of an option's location (never a real file: it starts with a NUL). */
const ORIGIN_PREFIX = '\0override:';

export function hasOverrides(o: RunOverrides | undefined): o is RunOverrides {
  return o !== undefined && (Object.keys(o.set ?? {}).length > 0 || Object.keys(o.env ?? {}).length > 0 || Object.keys(o.args ?? {}).length > 0 || o.timeout !== undefined || o.maxRetries !== undefined);
}

/** Writes the file's `defaults:` and then `overrides` into the document; errors that are found before the schema. */
export function applyOverrides(src: YamlSource, overrides: RunOverrides | undefined): { changed: boolean; errors: MarveloError[] } {
  let changed = applyDefaults(src);
  const errors: MarveloError[] = [];
  if (!hasOverrides(overrides)) return { changed, errors };
  changed = true;
  const root = src.doc.contents;
  if (!isMap(root)) return { changed, errors };
  const jobs = jobMaps(src);
  const byName = new Map(jobs.map((j) => [jobName(j), j] as const));
  const names = [...byName.keys()].filter((n): n is string => n !== undefined);
  const put = (map: YAMLMap, key: string, value: unknown, option: string) => putMarked(src, map, key, marked(src, value, option), option);
  const jobNamed = (name: string, option: string): YAMLMap | undefined => {
    const job = byName.get(name);
    if (!job) errors.push(overrideError(option, `names no job '${name}'`, `${didYouMean(name, names)}the jobs: ${names.join(', ')}`));
    return job;
  };

  for (const [key, value] of Object.entries(overrides.env ?? {})) {
    for (const job of jobs) put(mapAt(src, job, 'env', `--env ${key}=${value}`), key, String(value), `--env ${key}=${value}`);
  }
  for (const [path, value] of Object.entries(overrides.set ?? {})) {
    const option = `--set ${path}=${shown(value)}`;
    const steps = path.split('.');
    if (steps.some((s) => s === '')) {
      errors.push(overrideError(option, `'${path}' is not a key path`, 'give keys joined by dots, e.g. jobs.count.params.start'));
      continue;
    }
    let map: YAMLMap = root;
    if (steps[0] === 'jobs') {
      if (steps.length < 3) {
        errors.push(overrideError(option, 'sets a whole job or the job list', 'set one key of a job: jobs.<job>.<key>, e.g. jobs.count.params.start=5'));
        continue;
      }
      const job = jobNamed(steps[1]!, option);
      if (!job) continue;
      map = job;
      steps.splice(0, 2);
    }
    const inner = walk(src, map, steps.slice(0, -1), option);
    if (typeof inner === 'string') errors.push(overrideError(option, inner, 'set the enclosing value as a whole, e.g. --set jobs.a.args=[x, y]'));
    else put(inner, steps[steps.length - 1]!, value, option);
  }
  for (const [name, argv] of Object.entries(overrides.args ?? {})) {
    const option = `--args ${name}=${shown(argv)}`;
    const job = jobNamed(name, option);
    if (job) put(job, 'args', argv, option);
  }
  if (overrides.timeout !== undefined) put(root, 'timeout', overrides.timeout, `--timeout ${overrides.timeout}`);
  if (overrides.maxRetries !== undefined) put(root, 'max_retries', overrides.maxRetries, `--max-retries ${overrides.maxRetries}`);
  return { changed, errors };
}

/** The map at `key` of `map`, made when absent (marked as coming from `option`). */
function mapAt(src: YamlSource, map: YAMLMap, key: string, option: string): YAMLMap {
  const child = ownChild(src, map, key);
  if (isMap(child)) return child;
  const made = new YAMLMap();
  if (child === undefined) {
    src.markOrigin(made, originOf(option));
    putMarked(src, map, key, made, option);
    return made;
  }
  return made; // a value that is not a map: the file's own schema error reports it
}

/** The map at `steps` below `map`, made as needed; a text saying why not when a step is not a map. */
function walk(src: YamlSource, map: YAMLMap, steps: string[], option: string): YAMLMap | string {
  let at = map;
  for (const [i, step] of steps.entries()) {
    const child = ownChild(src, at, step);
    if (child !== undefined && !isMap(child)) return `cannot set a key inside ${steps.slice(0, i + 1).join('.')}: it is ${isSeq(child) ? 'a list' : 'a single value'}`;
    at = mapAt(src, at, step, option);
  }
  return at;
}

/** Sets `key` of `map` with a key of its own: an error about the key points at the option too, not at the file's key. */
function putMarked(src: YamlSource, map: YAMLMap, key: string, value: Node, option: string): void {
  const at = map.items.findIndex((p) => keyText(p.key) === key);
  const name = new Scalar(key);
  src.markOrigin(name, originOf(option));
  const pair = new Pair(name, value);
  if (at >= 0) map.items[at] = pair;
  else map.items.push(pair);
}

function marked(src: YamlSource, value: unknown, option: string): Node {
  const node = src.doc.createNode(value) as Node;
  src.markOrigin(node, originOf(option));
  return node;
}

function originOf(option: string): SourceLocation {
  return { file: ORIGIN_PREFIX + option, line: 0, col: 0 };
}

function shown(value: unknown): string {
  return Array.isArray(value) ? JSON.stringify(value) : typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
}

function overrideError(option: string, message: string, hint: string): MarveloError {
  return new MarveloError('MRV_CONFIG_OVERRIDE', `${option}: ${message}`, { hint });
}

/**
 * An error found in an override (its location is the option, not a line of the file) becomes an
 * MRV_CONFIG_OVERRIDE naming the option; every other error stays as it is.
 */
export function asOverrideError(e: MarveloError): MarveloError {
  if (!e.where?.file.startsWith(ORIGIN_PREFIX)) return e;
  const option = e.where.file.slice(ORIGIN_PREFIX.length);
  return new MarveloError('MRV_CONFIG_OVERRIDE', `${option}: ${e.message}`, { hint: e.hint });
}
