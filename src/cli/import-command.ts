import { displayPath, formatError } from '../errors.js';
import { importNetwork } from '../import/index.js';
import { reportFatal } from './report.js';

export interface ImportCommandOptions {
  output?: string;
  force?: boolean;
  json?: boolean;
}

/** `marvelo import <folder>`: exit 0 when the written network validates, 1 when it does not or nothing was written. */
export async function importCommand(folder: string, opts: ImportCommandOptions): Promise<number> {
  let result;
  try {
    result = await importNetwork(folder, { out: opts.output, force: opts.force });
  } catch (e) {
    return reportFatal(e);
  }
  const { files, validation } = result;
  if (opts.json) {
    const errors = validation.errors.map((e) => ({ code: e.code, message: e.message, hint: e.hint, line: e.where?.line, job: e.job, pipe: e.pipe }));
    process.stdout.write(JSON.stringify({ files, jobs: result.jobs, pipes: result.pipes, nodes: result.nodes, notes: result.notes, valid: validation.ok, errors }, null, 2) + '\n');
    return validation.ok ? 0 : 1;
  }
  const written = [`${displayPath(files.network)} (${result.jobs} jobs, ${result.pipes} pipes)`];
  if (files.cluster !== undefined) written.push(`${displayPath(files.cluster)} (${result.nodes} nodes)`);
  const lines = [`[marvelo] imported ${displayPath(folder)}: wrote ${written.join(' and ')}`];
  for (const kind of ['dropped', 'changed'] as const) {
    const notes = result.notes.filter((n) => n.kind === kind);
    if (notes.length === 0) continue;
    lines.push(kind === 'dropped' ? `not carried over (${notes.length}):` : `carried over, but different (${notes.length}):`);
    for (const n of notes) lines.push(`  ${n.subject}: ${n.text}`);
  }
  process.stdout.write(lines.join('\n') + '\n');
  if (validation.ok) {
    process.stdout.write(`${displayPath(files.network)}: valid; run it with marvelo run ${displayPath(files.network)}\n`);
    return 0;
  }
  for (const e of validation.errors) process.stderr.write(`error: ${formatError(e)}\n`);
  process.stderr.write(`${validation.errors.length} error(s) in the imported ${displayPath(files.network)}: edit it, then marvelo validate it\n`);
  return 1;
}
