import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export const RUN_FILE = 'run.json';
export const EVENTS_FILE = 'events.jsonl';
export const LOGS_DIR = 'logs';
const RUNS = join('.marvelo', 'runs');

/** An environment variable, or undefined when unset or empty. */
function env(name: string): string | undefined {
  const v = process.env[name];
  return v === undefined || v === '' ? undefined : v;
}

/** Where a run of `networkFile` is recorded: `dir`, else MARVELO_RUNS_DIR, else `.marvelo/runs` next to the network file. */
export function runsDirOf(networkFile: string, dir?: string): string {
  const chosen = dir ?? env('MARVELO_RUNS_DIR');
  return chosen !== undefined ? resolve(chosen) : join(dirname(resolve(networkFile)), RUNS);
}

/**
 * Where `marvelo runs` and `marvelo logs` look: `dir` (--runs-dir), else MARVELO_RUNS_DIR, else the
 * nearest `.marvelo/runs` in the current folder or one of its parents (as git finds `.git`).
 * undefined: none of them.
 */
export function runsDirForReading(dir?: string, from: string = process.cwd()): string | undefined {
  const chosen = dir ?? env('MARVELO_RUNS_DIR');
  if (chosen !== undefined) return resolve(chosen);
  for (let d = resolve(from); ; d = dirname(d)) {
    if (existsSync(join(d, RUNS))) return join(d, RUNS);
    if (dirname(d) === d) return undefined;
  }
}

/** Runs kept per runs folder: MARVELO_RUNS_KEEP, else 100. */
export function runsToKeep(): number {
  const n = Number(env('MARVELO_RUNS_KEEP') ?? 100);
  return Number.isInteger(n) && n >= 1 ? n : 100;
}

export function logFile(runDir: string, job: string): string {
  return join(runDir, LOGS_DIR, `${job}.log`);
}
