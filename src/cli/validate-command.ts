import { validateNetwork } from '../config/load.js';
import { formatError } from '../errors.js';
import { overridesOf, type OverrideFlags } from './override-options.js';
import { reportFatal } from './report.js';

/** `marvelo validate`: with override options, the file as a run with them would see it. */
export async function validateCommand(file: string, opts: OverrideFlags & { json?: boolean; nodes?: string }): Promise<number> {
  let overrides;
  try {
    overrides = overridesOf(opts);
  } catch (e) {
    return reportFatal(e);
  }
  const result = await validateNetwork(file, { nodesFile: opts.nodes, overrides });
  if (opts.json) {
    const errors = result.errors.map((e) => ({
      code: e.code,
      message: e.message,
      hint: e.hint,
      file: e.where?.file,
      line: e.where?.line,
      col: e.where?.col,
      job: e.job,
      pipe: e.pipe,
    }));
    process.stdout.write(JSON.stringify({ ok: result.ok, file, errors }, null, 2) + '\n');
  } else if (result.ok) {
    const n = result.network!;
    process.stdout.write(`${file}: ok (${n.jobs.length} jobs, ${Object.keys(n.pipes).length} pipes)\n`);
  } else {
    for (const e of result.errors) process.stderr.write(`error: ${formatError(e)}\n`);
    process.stderr.write(`${result.errors.length} error(s) in ${file}\n`);
  }
  return result.ok ? 0 : 1;
}
