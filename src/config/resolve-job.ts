/**
 * One job from the network file to its JobSpec. Precedence for every setting: the job's YAML key, then
 * the class static, then the network-wide YAML default (head_size), then DEFAULTS.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { MarveloError } from '../errors.js';
import { isFile } from './module-loader.js';
import type { JobModule } from './modules.js';
import { asList, type RawJob } from './raw.js';
import type { YamlSource } from './source.js';
import type { JobStatics } from './statics.js';
import { DEFAULTS, type ExecutableSpec, type JobSpec } from './types.js';

export interface JobContext {
  src: YamlSource;
  dir: string;
  index: number;
  /** Undefined for executables, and for script jobs whose module failed (an error is already reported). */
  module: JobModule | undefined;
  statics: JobStatics;
  networkHeadSize: number | undefined;
}

export function resolveJob(job: RawJob, ctx: JobContext): { spec: JobSpec; errors: MarveloError[] } {
  const { statics, module } = ctx;
  const errors: MarveloError[] = [];
  const executable = job.executable === undefined ? undefined : resolveExecutable(job, ctx, errors);
  const spec: JobSpec = {
    name: job.name,
    kind: executable ? 'executable' : module?.builtin !== undefined || job.uses?.startsWith('builtin:') ? 'builtin' : 'script',
    module: module?.ref,
    builtin: module?.builtin,
    executable,
    params: job.params ?? {},
    inputs: (job.inputs ?? []).map(String),
    outputs: (job.outputs ?? []).map(String),
    groups: asList(job.groups) ?? statics.groups ?? [...DEFAULTS.groups],
    defaultNode: job.default_node ?? statics.defaultNode,
    head: job.head ?? statics.head ?? false,
    headSize: job.head_size ?? statics.headSize ?? ctx.networkHeadSize ?? DEFAULTS.headSize,
    maxQueue: job.max_queue ?? statics.maxQueue ?? DEFAULTS.maxQueue,
    dependencies: resolveDependencies(job, ctx, errors),
    env: job.env ?? {},
    logging: job.logging ?? false,
    where: ctx.src.valueAt(['jobs', ctx.index]),
  };
  if (job.resources !== undefined) spec.resources = job.resources;
  if (job.timeout !== undefined) spec.timeout = job.timeout;
  if (job.max_retries !== undefined) spec.maxRetries = job.max_retries;
  if (job.replicas !== undefined) spec.replicas = job.replicas;
  return { spec, errors };
}

function resolveExecutable(job: RawJob, ctx: JobContext, errors: MarveloError[]): ExecutableSpec {
  const given = job.executable!;
  // A bare command name is looked up on PATH where it runs; only a path can be checked here.
  const command = given.includes('/') ? resolve(ctx.dir, given) : given;
  if (given.includes('/') && !isFile(command)) {
    errors.push(
      new MarveloError('MRV_CONFIG_MODULE', `executable ${given} does not exist (looked for ${command})`, {
        where: ctx.src.valueAt(['jobs', ctx.index, 'executable']),
        job: job.name,
        hint: `executable paths are relative to the network file's folder ${ctx.dir}; a name without '/' is looked up on PATH`,
      }),
    );
  }
  return {
    command,
    args: (job.args ?? []).map(String),
    inputFlag: job.input_flag ?? '-i',
    outputFlag: job.output_flag ?? '-o',
    pass: job.pass ?? 'path',
  };
}

/** YAML paths are relative to the network file; a class's DEPENDENCIES to its module file. */
function resolveDependencies(job: RawJob, ctx: JobContext, errors: MarveloError[]): string[] {
  const fromYaml = asList(job.dependencies);
  const base = fromYaml !== undefined || ctx.module === undefined ? ctx.dir : dirname(ctx.module.ref.file);
  const listed = fromYaml ?? ctx.statics.dependencies ?? [];
  return listed.map((dep, i) => {
    const path = resolve(base, dep);
    if (!existsSync(path)) {
      const inYaml = fromYaml !== undefined;
      const at = inYaml
        ? ctx.src.valueAt(typeof job.dependencies === 'string' ? ['jobs', ctx.index, 'dependencies'] : ['jobs', ctx.index, 'dependencies', i])
        : ctx.src.valueAt(['jobs', ctx.index, 'uses']);
      errors.push(
        new MarveloError('MRV_CONFIG_MODULE', `dependency ${dep} does not exist (looked for ${path})`, {
          where: at,
          job: job.name,
          hint: inYaml
            ? `dependency paths in the network file are relative to its folder ${ctx.dir}`
            : `static DEPENDENCIES paths are relative to the job's module folder ${base}; override them with dependencies: in the network file`,
        }),
      );
    }
    return path;
  });
}
