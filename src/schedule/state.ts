/**
 * The schedule's files, next to the run records: `<runs dir>/../schedule/<network name>.json` holds
 * whether it is paused (written by `marvelo schedule pause|resume`, read by the scheduler before each
 * fire), and `<network name>.jsonl` the scheduler's events (fired, skipped, missed...), one per line.
 */
import { appendFileSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runsDirOf } from '../api/records/paths.js';

/** `<name>.json`: absent means not paused. */
export interface ScheduleState {
  marvelo: 'schedule';
  version: 1;
  /** Absolute path of the network file. */
  network: string;
  paused: boolean;
  /** When pause or resume last changed it (ISO 8601 UTC). */
  changedAt: string;
}

export interface ScheduleFiles {
  state: string;
  history: string;
}

/** Where the state and history of `networkName`'s schedule live (runsDir as for run records). */
export function scheduleFilesOf(networkFile: string, networkName: string, runsDir?: string): ScheduleFiles {
  const dir = join(dirname(runsDirOf(networkFile, runsDir)), 'schedule');
  return { state: join(dir, `${networkName}.json`), history: join(dir, `${networkName}.jsonl`) };
}

/** The state, or undefined when there is none or it cannot be read as one (then: not paused). */
export function readScheduleState(file: string): ScheduleState | undefined {
  try {
    const state = JSON.parse(readFileSync(file, 'utf8')) as Partial<ScheduleState>;
    return state.marvelo === 'schedule' && typeof state.paused === 'boolean' ? (state as ScheduleState) : undefined;
  } catch {
    return undefined;
  }
}

export function isPaused(file: string): boolean {
  return readScheduleState(file)?.paused ?? false;
}

/** Writes the state whole (a temporary file renamed over it: a reader never sees half of it). */
export function writeScheduleState(file: string, networkFile: string, paused: boolean, now = new Date()): ScheduleState {
  const state: ScheduleState = { marvelo: 'schedule', version: 1, network: networkFile, paused, changedAt: now.toISOString() };
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(tmp, file);
  return state;
}

export function appendHistory(file: string, event: object): void {
  mkdirSync(dirname(file), { recursive: true });
  appendFileSync(file, `${JSON.stringify(event)}\n`);
}
