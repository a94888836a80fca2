import { listRuns, readRun, resolveRunId } from '../api/records/reader.js';
import { runsDirForReading } from '../api/records/paths.js';
import { MarveloError } from '../errors.js';
import { formatRunList, formatRunShow, runRow } from './runs-format.js';
import { join } from 'node:path';
import { readSeries } from '../api/records/series.js';
import { formatSparklines } from '../view/terminal/sparkline.js';

interface RunsFlags {
  status?: string;
  json?: boolean;
  runsDir?: string;
}

/** The runs folder of `runs` and `logs` (paths.ts says where it is looked for). */
export function readingDir(flag: string | undefined): string {
  const dir = runsDirForReading(flag);
  if (dir === undefined) {
    throw new MarveloError('MRV_RUN_RECORD', 'no runs folder: there is no .marvelo/runs in this folder or any folder above it', {
      hint: 'run this where you ran `marvelo run` (records are kept next to the network file), or give the folder with --runs-dir or MARVELO_RUNS_DIR',
    });
  }
  return dir;
}

/** `marvelo runs`: the runs, newest first. */
export function runsCommand(flags: RunsFlags): number {
  const dir = readingDir(flags.runsDir);
  const rows = listRuns(dir)
    .filter((r) => flags.status === undefined || r.status === flags.status)
    .map((r) => runRow(r));
  process.stdout.write((flags.json ? JSON.stringify(rows, null, 2) : formatRunList(rows)) + '\n');
  return 0;
}

/** `marvelo runs show <id>`: one run's states, placement, figures and failure; on a terminal, sparklines of its rates. */
export function runsShowCommand(ref: string, flags: RunsFlags): number {
  const dir = readingDir(flags.runsDir);
  const id = resolveRunId(dir, ref);
  const record = readRun(dir, id);
  if (flags.json) {
    process.stdout.write(JSON.stringify(record, null, 2) + '\n');
    return 0;
  }
  // on a terminal, the run's rates over time (series.jsonl) as sparklines; piped output stays plain text
  const sparks = process.stdout.isTTY ? formatSparklines(readSeries(join(dir, id)), process.stdout.columns || 80) : [];
  process.stdout.write(formatRunShow(record) + (sparks.length > 0 ? '\n\n' + sparks.join('\n') : '') + '\n');
  return 0;
}
