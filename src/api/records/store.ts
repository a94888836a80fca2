/** Reading and writing one record's files: run.json replaced atomically, events.jsonl appended a line at a time. */
import { appendFileSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { EVENTS_FILE, RUN_FILE } from './paths.js';
import type { RunRecord } from './types.js';

/** Written to a temporary file, then renamed over run.json: a reader never sees half a record. */
export function writeRunFile(runDir: string, record: RunRecord): void {
  const tmp = join(runDir, `${RUN_FILE}.${process.pid}.tmp`);
  writeFileSync(tmp, JSON.stringify(record, null, 2) + '\n');
  renameSync(tmp, join(runDir, RUN_FILE));
}

export function readRunFile(runDir: string): RunRecord {
  return JSON.parse(readFileSync(join(runDir, RUN_FILE), 'utf8')) as RunRecord;
}

/** One JSON line with its time; a single write, so a killed client leaves whole lines. */
export function appendEvent(runDir: string, type: string, fields: Record<string, unknown> = {}, time = new Date()): void {
  appendFileSync(join(runDir, EVENTS_FILE), JSON.stringify({ time: time.toISOString(), type, ...fields }) + '\n');
}

export interface RecordedEvent {
  time: string;
  type: string;
  [field: string]: unknown;
}

/** Every whole line of events.jsonl (a line cut by a crash is left out). */
export function readEvents(runDir: string): RecordedEvent[] {
  return readJsonLines(join(runDir, EVENTS_FILE), (v): v is RecordedEvent => typeof v === 'object' && v !== null);
}

/**
 * The values of a JSON-lines file of a record that `accept` takes, in order; [] when there is no file.
 * Lines are appended one write each, so only a crash cuts one: such a line is left out.
 */
export function readJsonLines<T>(file: string, accept: (value: unknown) => value is T): T[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').flatMap((line) => {
    if (line === '') return [];
    try {
      const value: unknown = JSON.parse(line);
      return accept(value) ? [value] : [];
    } catch {
      return [];
    }
  });
}

/** Whether the client that ran a record is alive; a client on another host cannot be checked and counts as alive. */
export function clientAlive(client: RunRecord['client']): boolean {
  if (client.host !== hostname()) return true;
  try {
    process.kill(client.pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
