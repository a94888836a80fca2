import { checkJob, followLogs, LogTail, logJobs } from '../api/records/logs.js';
import { readRun, resolveRunId } from '../api/records/reader.js';
import { join } from 'node:path';
import { readingDir } from './runs-command.js';

interface LogsFlags {
  follow?: boolean;
  runsDir?: string;
}

/**
 * `marvelo logs <id> [job]`: the output of one job, or of every job (each line prefixed `job |`, job by
 * job in the network's order). --follow prints lines as they are written until the run ends.
 */
export async function logsCommand(ref: string, job: string | undefined, flags: LogsFlags): Promise<number> {
  const dir = readingDir(flags.runsDir);
  const id = resolveRunId(dir, ref);
  const runDir = join(dir, id);
  const record = readRun(dir, id);
  if (job !== undefined) checkJob(runDir, record, job);
  const width = Math.max(0, ...logJobs(runDir, record).map((j) => j.length));
  const sink = (from: string, lines: string[]): Promise<void> | undefined => {
    const text = lines.map((l) => (job === undefined ? `${from.padEnd(width)} | ${l}\n` : `${l}\n`)).join('');
    return process.stdout.write(text) ? undefined : new Promise((r) => process.stdout.once('drain', () => r()));
  };
  if (flags.follow) {
    const end = await followLogs(dir, id, job, sink);
    process.stderr.write(`[marvelo] run ${id} ${end.status}${end.reason && end.reason !== 'Cancelled' ? ` (${end.reason})` : ''}\n`);
  } else {
    await new LogTail(runDir).pump(job === undefined ? logJobs(runDir, record) : [job], true, sink);
  }
  return 0;
}
