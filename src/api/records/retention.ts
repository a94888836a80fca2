import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { isRunId } from './id.js';
import { clientAlive, readRunFile } from './store.js';
import { TERMINAL } from './types.js';

/** The run ids of a runs folder, oldest first. */
export function runIds(runsDir: string): string[] {
  try {
    return readdirSync(runsDir).filter(isRunId).sort();
  } catch {
    return [];
  }
}

/** Deletes all but the `keep` newest records; a run whose client still runs it is never deleted. */
export function prune(runsDir: string, keep: number): string[] {
  const ids = runIds(runsDir);
  const old = ids.slice(0, Math.max(0, ids.length - keep)).filter((id) => !isLive(join(runsDir, id)));
  for (const id of old) rmSync(join(runsDir, id), { recursive: true, force: true });
  return old;
}

function isLive(runDir: string): boolean {
  try {
    const r = readRunFile(runDir);
    return !TERMINAL.has(r.status) && clientAlive(r.client);
  } catch {
    return false; // no readable run.json: a client killed before it wrote one
  }
}
