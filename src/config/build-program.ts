/**
 * `build:` of an executable job: the command that makes its program, run in the network file's folder
 * (on this machine, before anything starts) when the program is missing or older than one of its
 * sources. The command is an argument vector, like the job's own. Two runs may build at once: a command
 * that writes the program in place should write it beside and rename it (as make's rules often do not).
 */
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { MarveloError } from '../errors.js';
import { asList, type RawBuild } from './raw.js';
import type { YamlSource } from './source.js';

/** Lines of the command's output kept in the error when it fails. */
const OUTPUT_LINES = 12;

export interface BuildContext {
  src: YamlSource;
  dir: string;
  index: number;
  job: string;
}

/** Runs the build when `program` needs it. Returns false (with errors) when it could not be made. */
export function buildProgramIfStale(build: RawBuild, program: string, ctx: BuildContext, errors: MarveloError[]): boolean {
  const at = (...path: (string | number)[]) => ctx.src.valueAt(['jobs', ctx.index, 'build', ...path]);
  const sources = asList(build.sources) ?? [];
  let newestSource = 0;
  for (const [i, source] of sources.entries()) {
    const mtime = mtimeOf(resolve(ctx.dir, source));
    if (mtime === undefined) {
      errors.push(
        new MarveloError('MRV_CONFIG_MODULE', `build source ${source} does not exist (looked for ${resolve(ctx.dir, source)})`, {
          where: at('sources', ...(typeof build.sources === 'string' ? [] : [i])),
          job: ctx.job,
          hint: `build sources are relative to the network file's folder ${ctx.dir}`,
        }),
      );
      return false;
    }
    newestSource = Math.max(newestSource, mtime);
  }
  const built = mtimeOf(program);
  if (built !== undefined && built >= newestSource) return true;

  const [command, ...args] = build.command.map(String);
  const shown = build.command.join(' ');
  const r = spawnSync(command!, args, { cwd: ctx.dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.error !== undefined) {
    const missing = (r.error as NodeJS.ErrnoException).code === 'ENOENT';
    errors.push(
      new MarveloError('MRV_CONFIG_MODULE', `cannot run the build of ${program} (${shown}): ${missing ? `${command} was not found` : r.error.message}`, {
        where: at('command', 0),
        job: ctx.job,
        hint: `install ${command}, or give its path (relative to the network file's folder ${ctx.dir})`,
      }),
    );
    return false;
  }
  if (r.status !== 0) {
    const how = r.signal ? `was killed by ${r.signal}` : `exited with code ${r.status}`;
    const output = `${r.stdout}${r.stderr}`.trimEnd().split('\n').slice(-OUTPUT_LINES).join('\n');
    errors.push(
      new MarveloError('MRV_CONFIG_MODULE', `the build of ${program} failed: ${shown} ${how}${output ? `:\n${output}` : ''}`, {
        where: at('command'),
        job: ctx.job,
        hint: `run it in ${ctx.dir} to see its whole output, and fix what it says`,
      }),
    );
    return false;
  }
  return true;
}

function mtimeOf(file: string): number | undefined {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}
