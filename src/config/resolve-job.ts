/**
 * One job from the network file to its JobSpec. Precedence for every setting: the job's YAML key, then
 * the class static, then the network-wide YAML default (head_size), then DEFAULTS.
 */
import { resolveTimeout } from './timeouts.js';
import { JOB_BACKOFF_MS, JOB_RESTARTS, resolveBackoff } from './retries.js';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { MarveloError } from '../errors.js';
import type { ExecutableStatics } from './executable-statics.js';
import type { JobModule } from './modules.js';
import { asList, type RawJob } from './raw.js';
import { resolveExecutable } from './resolve-executable.js';
import { resolveResources } from './resources.js';
import { resolveLimits } from './limits.js';
import { named } from './shown.js';
import type { YamlSource } from './source.js';
import type { JobStatics } from './statics.js';
import { DEFAULTS, type JobSpec } from './types.js';

export interface JobContext {
  src: YamlSource;
  dir: string;
  index: number;
  /** Undefined for `executable:` jobs, and for jobs whose module failed (an error is already reported). */
  module: JobModule | undefined;
  statics: JobStatics;
  /** ExecutableJob classes: their EXECUTABLE, PARAMETERS, flags and PASS. */
  executableStatics?: ExecutableStatics;
  networkHeadSize: number | undefined;
}

/** Keys that only executable jobs take. */
const EXECUTABLE_KEYS = ['args', 'input_flag', 'output_flag', 'pass', 'build'] as const;

export function resolveJob(job: RawJob, ctx: JobContext): { spec: JobSpec; errors: MarveloError[] } {
  const { statics, module } = ctx;
  const errors: MarveloError[] = [];
  const cls = module?.executableCls;
  const executable =
    job.executable === undefined && cls === undefined
      ? undefined
      : resolveExecutable(job, { ...ctx, fromClass: cls && { name: cls.name, file: module!.ref.file, statics: ctx.executableStatics ?? {} } }, errors);
  errors.push(...misplacedKeys(job, ctx, executable !== undefined));
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
    resources: resolveResources(job.resources, {
      owner: `job ${named(job.name)} resources`,
      at: (key) => ctx.src.valueAt(['jobs', ctx.index, 'resources', key]),
      job: job.name,
    }, errors),
    where: ctx.src.valueAt(['jobs', ctx.index]),
    ...resolveFailurePolicy(job, ctx, statics, errors),
  };
  const timeoutMs = resolveTimeout(job.timeout, `job ${named(job.name)}`, ctx.src.valueAt(['jobs', ctx.index, 'timeout']), errors, job.name);
  if (timeoutMs !== undefined && executable !== undefined) {
    errors.push(
      new MarveloError('MRV_CONFIG_SCHEMA', `job ${named(job.name)} is an executable job: timeout applies only to script and builtin jobs`, {
        where: ctx.src.valueAt(['jobs', ctx.index, 'timeout']),
        job: job.name,
        hint: 'remove timeout; a program has no run() call to time (a network timeout: at the top of the file limits the whole run)',
      }),
    );
  } else if (timeoutMs !== undefined) spec.timeoutMs = timeoutMs;
  if (job.replicas !== undefined) spec.replicas = job.replicas;
  if (job.order !== undefined && (job.replicas ?? 1) <= 1) {
    errors.push(
      new MarveloError('MRV_CONFIG_SCHEMA', `job ${named(job.name)} has order: ${job.order} but no replicas, so there is nothing to merge`, {
        where: ctx.src.keyAt(['jobs', ctx.index, 'order']),
        job: job.name,
        hint: 'add replicas: 2 (or more), or remove order',
      }),
    );
  }
  const limited = resolveLimits(job.limits, spec.resources, { job: job.name, at: (key) => ctx.src.valueAt(['jobs', ctx.index, 'limits', key]) }, errors);
  if (limited.limits !== undefined) {
    spec.limits = limited.limits;
    spec.resources = limited.requests;
  }
  return { spec, errors };
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

/** Executable keys on a script job, or params on an ExecutableJob class (YAML executables: the schema). */
function misplacedKeys(job: RawJob, ctx: JobContext, isExecutable: boolean): MarveloError[] {
  const errors: MarveloError[] = [];
  const module = ctx.module;
  // A module that failed (already reported), or one not inspected: what it exports is not known.
  if (module === undefined || (module.builtin === undefined && module.cls === undefined && module.executableCls === undefined)) return errors;
  const what = module.builtin !== undefined ? `builtin:${module.builtin}` : `class ${module.cls?.name ?? module.executableCls?.name}`;
  if (!isExecutable) {
    for (const key of EXECUTABLE_KEYS) {
      if (job[key] === undefined) continue;
      errors.push(
        new MarveloError('MRV_CONFIG_SCHEMA', `'${key}' applies only to executable jobs, and ${what} is a ScriptJob`, {
          where: ctx.src.keyAt(['jobs', ctx.index, key]),
          job: job.name,
          hint: `remove ${key}, or use a class that extends ExecutableJob (or executable: instead of uses:)`,
        }),
      );
    }
  } else if (job.params !== undefined && job.executable === undefined) {
    errors.push(
      new MarveloError('MRV_CONFIG_SCHEMA', `'params' does not apply to ${what}: it runs a program`, {
        where: ctx.src.keyAt(['jobs', ctx.index, 'params']),
        job: job.name,
        hint: "pass the program's arguments with args: [...] (they replace the class's PARAMETERS)",
      }),
    );
  }
  return errors;
}

/** `on_failure`, `max_retries`, `retry_backoff`, and what the class says about a restart (STATELESS, seek). */
function resolveFailurePolicy(
  job: RawJob,
  ctx: JobContext,
  statics: JobStatics,
  errors: MarveloError[],
): Pick<JobSpec, 'onFailure' | 'maxRetries' | 'retryBackoffMs' | 'stateless' | 'seekable'> {
  const onFailure = job.on_failure ?? 'stop';
  const at = (key: string) => ctx.src.valueAt(['jobs', ctx.index, key]);
  const seekable = statics.seekable ?? false;
  if (onFailure === 'restart' && (job.inputs ?? []).length === 0 && !seekable) {
    errors.push(
      new MarveloError('MRV_CONFIG_RESTART', `job ${named(job.name)} is a source without seek(sqn): it cannot be restarted where its stream left off`, {
        where: at('on_failure'),
        job: job.name,
        hint: 'give the class a seek(sqn) method that makes the next value the one after block sqn (docs/jobs.md), or use on_failure: stop',
      }),
    );
  }
  if (job.max_retries !== undefined && onFailure !== 'restart') {
    errors.push(
      new MarveloError('MRV_CONFIG_RESTART', `job ${named(job.name)} has max_retries but no on_failure: restart, so it is never restarted`, {
        where: at('max_retries'),
        job: job.name,
        hint: 'add on_failure: restart, or remove max_retries (a network-wide max_retries: at the top of the file runs the whole network again)',
      }),
    );
  }
  return {
    onFailure,
    maxRetries: onFailure === 'restart' ? (job.max_retries ?? JOB_RESTARTS) : 0,
    retryBackoffMs: resolveBackoff(job.retry_backoff, JOB_BACKOFF_MS, `job ${named(job.name)}`, at('retry_backoff'), errors, job.name),
    stateless: statics.stateless ?? false,
    seekable,
  };
}
