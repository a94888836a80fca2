/** A run's record as the tests read it back: run.json and the events of events.jsonl. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunRecord } from '../../src/api/records/types.js';

export interface RecordEvent {
  type: string;
  time: string;
  [field: string]: unknown;
}

export interface ReadRun {
  id: string;
  dir: string;
  record: RunRecord;
  events: RecordEvent[];
}

/** The one run recorded in `runs` (a runs folder); throws when there is not exactly one. */
export function onlyRunRecord(runs: string): ReadRun {
  const ids = readdirSync(runs);
  if (ids.length !== 1) throw new Error(`expected one run in ${runs}, found ${ids.length}: ${ids.join(', ')}`);
  return readRunRecord(join(runs, ids[0]!));
}

/** The record in a run's folder (`<runs>/<id>`). */
export function readRunRecord(dir: string): ReadRun {
  const events = readFileSync(join(dir, 'events.jsonl'), 'utf8').trimEnd().split('\n').filter(Boolean);
  return {
    id: dir.split('/').at(-1)!,
    dir,
    record: JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as RunRecord,
    events: events.map((l) => JSON.parse(l) as RecordEvent),
  };
}
