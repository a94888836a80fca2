import { resolveRunId } from '../api/records/reader.js';
import { stopRun } from '../api/records/stop.js';
import { MarveloError } from '../errors.js';
import { readingDir } from './runs-command.js';

interface StopFlags {
  grace?: string;
  runsDir?: string;
}

/** `marvelo stop <run>`: cancels a run from another terminal (its client stops it as Ctrl-C does). */
export async function stopCommand(ref: string, flags: StopFlags): Promise<number> {
  const grace = Number(flags.grace ?? 10);
  if (!Number.isFinite(grace) || grace < 0) {
    throw new MarveloError('MRV_RUN_RECORD', `--grace ${flags.grace} is not a number of seconds`, { hint: 'e.g. --grace 10' });
  }
  const dir = readingDir(flags.runsDir);
  const id = resolveRunId(dir, ref);
  const { record, forced } = await stopRun(dir, id, grace * 1000);
  const how = forced ? `killed after ${grace} s (its workers are killed by its keeper)` : 'stopped';
  process.stderr.write(`[marvelo] run ${id} ${how}: ${record.status}${record.reason && record.reason !== 'Cancelled' ? ` (${record.reason})` : ''}\n`);
  return 0;
}
