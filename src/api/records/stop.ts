/**
 * Stopping a run from another process (`marvelo stop`): SIGTERM to the run's client, which stops every
 * worker as Ctrl-C does and records the run as cancelled; if it has not ended after the grace period,
 * SIGKILL (its keeper then kills the workers) and the record is ended here as cancelled.
 */
import { hostname } from 'node:os';
import { join } from 'node:path';
import { MarveloError } from '../../errors.js';
import { endRecord, readRun } from './reader.js';
import { clientAlive, readRunFile } from './store.js';
import { TERMINAL, type RunRecord } from './types.js';

/** How long a SIGKILLed client may take to be gone before the record is ended anyway. */
const KILL_WAIT_MS = 5000;
const POLL_MS = 50;

export interface StopOutcome {
  record: RunRecord;
  /** The client did not end within the grace period and was killed. */
  forced: boolean;
}

export async function stopRun(runsDir: string, id: string, graceMs: number): Promise<StopOutcome> {
  const runDir = join(runsDir, id);
  const record = readRun(runsDir, id);
  if (TERMINAL.has(record.status)) {
    throw new MarveloError('MRV_RUN_RECORD', `run ${id} is not running: it ${record.status === 'cancelled' ? 'was cancelled' : record.status}${record.reason && record.reason !== 'Cancelled' ? ` (${record.reason})` : ''}`, {
      hint: '`marvelo runs --status running` lists the runs that can be stopped',
    });
  }
  if (record.client.host !== hostname()) {
    throw new MarveloError('MRV_RUN_RECORD', `run ${id} was started on ${record.client.host}, not on this machine`, { hint: `run \`marvelo stop ${id}\` on ${record.client.host}` });
  }
  signal(record.client.pid, 'SIGTERM');
  let last = await until(runDir, record, graceMs);
  const forced = last === undefined;
  if (forced) {
    signal(record.client.pid, 'SIGKILL');
    last = await until(runDir, record, KILL_WAIT_MS);
  }
  if (last && TERMINAL.has(last.status)) return { record: last, forced };
  // the client is gone (or will be) without having ended the record: it was cancelled here
  return { record: endRecord(runDir, last ?? record, 'cancelled', 'Cancelled', new Date(), 'killed'), forced };
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

/** The record once it is final or its client is gone (undefined: neither within `ms`). */
async function until(runDir: string, started: RunRecord, ms: number): Promise<RunRecord | undefined> {
  const deadline = Date.now() + ms;
  for (;;) {
    const now = readRunFile(runDir);
    if (TERMINAL.has(now.status)) return now;
    if (!clientAlive(started.client)) return now;
    if (Date.now() >= deadline) return undefined;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}
