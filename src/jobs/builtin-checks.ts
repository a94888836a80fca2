/**
 * The params and pipes of built-in jobs, checked on the client before anything runs (`marvelo run` and
 * `marvelo validate`): each error names the job and says what would be right.
 */
import { didYouMean } from '../config/suggest.js';
import type { JobSpec, Network } from '../config/types.js';
import { MarveloError } from '../errors.js';

/** A problem with one param's value, or undefined. */
type ParamCheck = (value: unknown, job: JobSpec) => string | undefined;

interface BuiltinRule {
  params: Record<string, { required?: boolean; check: ParamCheck; expects: string }>;
  /** A problem with the job's inputs and outputs, or undefined. */
  pipes(job: JobSpec): string | undefined;
}

const path = { required: true, check: nonEmptyString, expects: 'a file path, e.g. path: out.csv' };
const interval = { check: positiveNumber, expects: 'milliseconds, a number > 0, e.g. interval: 1000' };

const RULES: Record<string, BuiltinRule> = {
  'csv-sink': {
    params: { path, columns: { check: columnNames, expects: 'one header name per input, e.g. columns: [time, value]' } },
    pipes: (j) => (j.inputs.length === 0 ? 'needs at least one input' : j.outputs.length > 0 ? 'is a sink: it takes no outputs' : undefined),
  },
  'logging-sink': {
    params: { path, interval },
    pipes: (j) => (j.inputs.length + j.outputs.length > 0 ? 'takes no pipes: the client feeds it the samples of the jobs marked logging: true' : undefined),
  },
  logging: { params: { interval }, pipes: sourcePipes },
  console: { params: {}, pipes: sourcePipes },
  clock: {
    params: { interval, limit: { check: countValue, expects: 'a number of ticks, an integer >= 0' } },
    pipes: sourcePipes,
  },
  forward: {
    params: {},
    pipes: (j) =>
      j.inputs.length === 0 || j.inputs.length !== j.outputs.length
        ? `forwards input i to output i: it needs as many outputs as inputs (it has ${j.inputs.length} and ${j.outputs.length})`
        : undefined,
  },
  distribute: {
    params: {},
    pipes: (j) =>
      j.inputs.length !== 1 || j.outputs.length === 0
        ? `copies one input to every output: it needs exactly one input and at least one output (it has ${j.inputs.length} and ${j.outputs.length})`
        : undefined,
  },
};

export function checkBuiltinJobs(jobs: readonly JobSpec[]): MarveloError[] {
  const errors: MarveloError[] = [];
  for (const job of jobs) {
    const rule = job.builtin === undefined ? undefined : RULES[job.builtin];
    if (rule === undefined) continue;
    const fail = (message: string, hint: string) =>
      errors.push(new MarveloError('MRV_CONFIG_SCHEMA', `builtin:${job.builtin} ${message}`, { where: job.where, job: job.name, hint }));
    const known = Object.keys(rule.params);
    for (const key of Object.keys(job.params)) {
      if (!(key in rule.params)) {
        fail(`has no param '${key}'`, `${didYouMean(key, known)}its params: ${known.length > 0 ? known.join(', ') : '(none)'}`);
      }
    }
    for (const [key, param] of Object.entries(rule.params)) {
      const value = job.params[key];
      if (value === undefined) {
        if (param.required) fail(`needs params.${key}`, `add ${key} under params: ${param.expects}`);
        continue;
      }
      const problem = param.check(value, job);
      if (problem !== undefined) fail(`params.${key} ${problem}`, `give ${param.expects}`);
    }
    const pipes = rule.pipes(job);
    if (pipes !== undefined) fail(pipes, 'see docs/jobs.md for the pipes each built-in job takes');
  }
  return errors;
}

/** The client reads the sampling interval from the logging jobs: the smallest one given, else 1 s. */
export function loggingIntervalMs(network: Network): number {
  const given = network.jobs
    .filter((j) => j.builtin === 'logging' || j.builtin === 'logging-sink')
    .map((j) => j.params.interval)
    .filter((v): v is number => typeof v === 'number' && v > 0);
  return given.length > 0 ? Math.min(...given) : 1000;
}

function sourcePipes(j: JobSpec): string | undefined {
  if (j.inputs.length > 0) return 'is a source: it takes no inputs';
  if (j.outputs.length === 0) return 'is a source: it needs at least one output';
  return undefined;
}

function nonEmptyString(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? undefined : `must be a non-empty string, not ${JSON.stringify(v)}`;
}

function positiveNumber(v: unknown): string | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? undefined : `must be a number > 0, not ${JSON.stringify(v)}`;
}

function countValue(v: unknown): string | undefined {
  return Number.isInteger(v) && (v as number) >= 0 ? undefined : `must be an integer >= 0, not ${JSON.stringify(v)}`;
}

function columnNames(v: unknown, job: JobSpec): string | undefined {
  if (!Array.isArray(v) || !v.every((c) => typeof c === 'string')) return `must be a list of names, not ${JSON.stringify(v)}`;
  if (v.length !== job.inputs.length) return `lists ${v.length} name(s) but the job has ${job.inputs.length} input(s)`;
  return undefined;
}
