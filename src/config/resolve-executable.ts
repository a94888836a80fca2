/**
 * An executable job's program and command line, from `executable:` and its keys in the network file or
 * from the statics of an ExecutableJob class (the network file's keys win). The program is checked
 * here, so a missing or non-executable file stops the run before anything starts.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { MarveloError } from '../errors.js';
import { buildProgramIfStale } from './build-program.js';
import type { ExecutableStatics } from './executable-statics.js';
import type { RawJob } from './raw.js';
import type { YamlSource } from './source.js';
import type { ExecutableSpec } from './types.js';

export interface ExecutableContext {
  src: YamlSource;
  /** The network file's folder. */
  dir: string;
  index: number;
  /** Class form: the class's name, module file and statics. */
  fromClass?: { name: string; file: string; statics: ExecutableStatics };
}

export function resolveExecutable(job: RawJob, ctx: ExecutableContext, errors: MarveloError[]): ExecutableSpec {
  const cls = ctx.fromClass;
  const spec: ExecutableSpec = {
    command: '',
    args: (job.args ?? cls?.statics.parameters ?? []).map(String),
    inputFlag: job.input_flag ?? cls?.statics.inputFlag ?? '-i',
    outputFlag: job.output_flag ?? cls?.statics.outputFlag ?? '-o',
    pass: job.pass ?? cls?.statics.pass ?? 'path',
  };
  const inYaml = job.executable !== undefined;
  const given = job.executable ?? cls?.statics.executable;
  const at = ctx.src.valueAt(['jobs', ctx.index, inYaml ? 'executable' : 'uses']);
  if (given === undefined) {
    errors.push(
      new MarveloError('MRV_CONFIG_MODULE', `class ${cls?.name ?? '?'} has no static EXECUTABLE`, {
        where: at,
        job: job.name,
        hint: "set static EXECUTABLE = './bin/my-program' (relative to the class's module file) or a command on PATH",
      }),
    );
    return spec;
  }
  const base = inYaml || cls === undefined ? ctx.dir : dirname(cls.file);
  const isPath = given.includes('/');
  spec.command = isPath ? resolve(base, given) : given;
  if (job.build !== undefined) {
    if (!isPath) {
      errors.push(
        new MarveloError('MRV_CONFIG_SCHEMA', `'build' needs the program's path, and ${given} is a command looked up on PATH`, {
          where: ctx.src.keyAt(['jobs', ctx.index, 'build']),
          job: job.name,
          hint: `give the program as a path the build makes, such as ./bin/${given}, or remove build:`,
        }),
      );
      return spec;
    }
    if (!buildProgramIfStale(job.build, spec.command, { src: ctx.src, dir: ctx.dir, index: ctx.index, job: job.name }, errors)) return spec;
  }
  const problem = isPath ? programProblem(spec.command) : commandProblem(given, job.env?.PATH ?? process.env.PATH ?? '');
  if (problem !== undefined) {
    const what = inYaml ? `executable ${given}` : `executable ${given} (static EXECUTABLE of class ${cls!.name})`;
    const relativeTo = inYaml ? `the network file's folder ${ctx.dir}` : `the class's module folder ${base}`;
    errors.push(
      new MarveloError('MRV_CONFIG_MODULE', `${what} ${problem.message}`, {
        where: at,
        job: job.name,
        hint:
          problem.hint ??
          (job.build !== undefined
            ? `its build (${job.build.command.join(' ')}) ran, but did not make ${spec.command}`
            : `executable paths are relative to ${relativeTo}; a name without '/' is looked up on PATH`),
      }),
    );
  }
  return spec;
}

interface Problem {
  message: string;
  hint?: string;
}

/** What keeps an absolute path from being run, if anything. */
function programProblem(file: string): Problem | undefined {
  let isFile: boolean;
  try {
    isFile = statSync(file).isFile();
  } catch {
    return { message: `does not exist (looked for ${file})` };
  }
  if (!isFile) return { message: `is not a file (${file} is a folder or a device)` };
  if (!canExecute(file)) {
    return { message: `is not executable (${file} has no execute permission)`, hint: `make it executable: chmod +x ${file}` };
  }
  return undefined;
}

function commandProblem(name: string, path: string): Problem | undefined {
  if (findOnPath(name, path) !== undefined) return undefined;
  return {
    message: `was not found on PATH`,
    hint: `install ${name}, add its folder to PATH (the job's env: PATH wins), or give a path such as ./bin/${name} (relative to the network file)`,
  };
}

/** The first executable file named `name` in the folders of `path`. */
export function findOnPath(name: string, path: string): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      if (statSync(candidate).isFile() && canExecute(candidate)) return candidate;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

function canExecute(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
