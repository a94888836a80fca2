/**
 * Reading run records. A record whose status is not final while its client is no longer alive (killed
 * with SIGKILL, a crash, a power cut) is marked here, for every reader after: status failed, reason
 * ClientLost, in run.json and as a `client-lost` event.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { MarveloError } from '../../errors.js';
import { EVENTS_FILE } from './paths.js';
import { runIds } from './retention.js';
import { appendEvent, clientAlive, readRunFile, writeRunFile } from './store.js';
import { TERMINAL, type RunRecord } from './types.js';

/** Every readable record of a runs folder, newest first. */
export function listRuns(runsDir: string): RunRecord[] {
  return runIds(runsDir)
    .reverse()
    .flatMap((id) => {
      try {
        return [readRun(runsDir, id)];
      } catch {
        return []; // a client killed between making the folder and writing run.json
      }
    });
}

/** One record, by its full id. */
export function readRun(runsDir: string, id: string): RunRecord {
  const dir = join(runsDir, id);
  return markIfLost(dir, readRunFile(dir));
}

export function markIfLost(runDir: string, record: RunRecord): RunRecord {
  if (TERMINAL.has(record.status) || clientAlive(record.client)) return record;
  // the last sign of life: when its events were last written
  const last = lastWrite(runDir) ?? new Date();
  const failure = record.failure ?? { job: undefined, code: undefined, message: `the client (pid ${record.client.pid}) ended without finishing the run`, hint: undefined };
  return endRecord(runDir, { ...record, failure }, 'failed', 'ClientLost', last, 'client-lost');
}

/**
 * Ends a record its client did not end: its status and reason, jobs still queued or running cancelled,
 * an event of `eventType`. Written when the folder can be written; returned either way.
 */
export function endRecord(runDir: string, record: RunRecord, status: 'failed' | 'cancelled', reason: string, at: Date, eventType: string): RunRecord {
  const ended: RunRecord = {
    ...record,
    status,
    reason,
    finishedAt: at.toISOString(),
    jobs: record.jobs.map((j) => (j.state === 'queued' || j.state === 'running' ? { ...j, state: 'cancelled', finishedAt: j.finishedAt ?? at.toISOString() } : j)),
  };
  try {
    appendEvent(runDir, eventType, { pid: record.client.pid, status, reason });
    writeRunFile(runDir, ended);
  } catch {
    // a folder this user cannot write: the end is shown, not kept
  }
  return ended;
}

function lastWrite(runDir: string): Date | undefined {
  try {
    return statSync(join(runDir, EVENTS_FILE)).mtime;
  } catch {
    return undefined;
  }
}

/**
 * The full id of `ref`: `last` (the newest run), a full id, or any prefix of exactly one id.
 * MRV_RUN_RECORD names the candidates when there is no such run or several.
 */
export function resolveRunId(runsDir: string, ref: string): string {
  const ids = runIds(runsDir);
  if (ref === 'last') {
    const last = ids.at(-1);
    if (last === undefined) throw new MarveloError('MRV_RUN_RECORD', `there are no runs in ${runsDir}`, { hint: 'run a network with `marvelo run`, or point --runs-dir at the folder that holds the records' });
    return last;
  }
  if (ids.includes(ref)) return ref;
  const matches = ids.filter((id) => id.startsWith(ref));
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) {
    throw new MarveloError('MRV_RUN_RECORD', `'${ref}' is the start of ${matches.length} run ids: ${listed(matches.reverse())}`, {
      hint: 'give more characters of the id',
    });
  }
  const latest = ids.slice(-5).reverse();
  throw new MarveloError('MRV_RUN_RECORD', `no run '${ref}' in ${runsDir}${latest.length > 0 ? `; the latest are ${listed(latest)}` : ' (it holds no runs)'}`, {
    hint: '`marvelo runs` lists the runs; `last` is the latest',
  });
}

function listed(ids: string[]): string {
  return ids.length > 10 ? `${ids.slice(0, 10).join(', ')} and ${ids.length - 10} more` : ids.join(', ');
}
