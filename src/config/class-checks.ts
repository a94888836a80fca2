/** Checks a job class against its job: statics, run() arity, and declared port types vs pipe codecs. */
import { MarveloError, type SourceLocation } from '../errors.js';
import type { ScriptJobClass } from '../jobs/script-job.js';
import { arityProblem, runSignature } from './arity.js';
import { describeCodec } from './codec.js';
import { describePort, portAccepts } from './port-match.js';
import type { JobStatics } from './statics.js';
import type { CodecSpec } from './types.js';

export interface JobInPlace {
  name: string;
  inputs: string[];
  outputs: string[];
  /** Where the job names its module (uses:). */
  usesAt: SourceLocation;
  /** Where the job lists its inputs (the key), falling back to usesAt. */
  inputsAt: SourceLocation;
  /** Where input / output i is written. */
  portAt(side: 'inputs' | 'outputs', i: number): SourceLocation;
}

export function checkRunArity(job: JobInPlace, cls: ScriptJobClass): MarveloError[] {
  const run: unknown = (cls.prototype as { run?: unknown }).run;
  if (typeof run !== 'function') {
    return [
      new MarveloError('MRV_CONFIG_MODULE', `class ${cls.name} has no run() method`, {
        where: job.usesAt,
        job: job.name,
        hint: 'declare run as a method, e.g. run(a) { return a; } (a run = () => ... field cannot be checked or shared)',
      }),
    ];
  }
  const found = arityProblem(runSignature(run as (...a: never[]) => unknown), job.inputs);
  if (found === undefined) return [];
  return [
    new MarveloError('MRV_CONFIG_PORTS', `class ${cls.name}: ${found.problem}`, {
      where: job.inputsAt,
      job: job.name,
      hint: found.fix,
    }),
  ];
}

export function checkPorts(job: JobInPlace, cls: ScriptJobClass, statics: JobStatics, codecOf: (pipe: string) => CodecSpec): MarveloError[] {
  const errors: MarveloError[] = [];
  for (const side of ['inputs', 'outputs'] as const) {
    const ports = statics[side];
    if (ports === undefined) continue;
    const pipes = job[side];
    const what = side === 'inputs' ? 'input' : 'output';
    if (ports.length !== pipes.length) {
      const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
      errors.push(
        new MarveloError('MRV_CONFIG_PORTS', `class ${cls.name} declares ${count(ports.length, what)} (static ${side.toUpperCase()}), but the job lists ${count(pipes.length, 'pipe')}`, {
          where: pipes.length > 0 ? job.portAt(side, 0) : job.usesAt,
          job: job.name,
          hint: `list ${count(ports.length, 'pipe')} under ${side}, of types ${ports.map(describePort).join(', ')}`,
        }),
      );
      continue;
    }
    pipes.forEach((pipe, i) => {
      const codec = codecOf(pipe);
      if (portAccepts(ports[i]!, codec)) return;
      errors.push(
        new MarveloError(
          'MRV_CONFIG_PORTS',
          `pipe '${pipe}' is ${describeCodec(codec)}, but ${what} ${i + 1} of class ${cls.name} takes ${describePort(ports[i]!)}`,
          {
            where: job.portAt(side, i),
            job: job.name,
            pipe,
            hint: `set the pipe to match the port (pipes: ${pipe}: ${portAsYaml(ports[i]!)}), or use a job whose ${what} takes ${describeCodec(codec)}`,
          },
        ),
      );
    });
  }
  return errors;
}

export function checkStaticsProblems(job: JobInPlace, cls: { name: string }, problems: string[]): MarveloError[] {
  return problems.map(
    (p) =>
      new MarveloError('MRV_CONFIG_MODULE', `class ${cls.name}: ${p}`, {
        where: job.usesAt,
        job: job.name,
        hint: 'fix the static property of the class, or override it for this job in the network file',
      }),
  );
}

function portAsYaml(port: Parameters<typeof describePort>[0]): string {
  const p = typeof port === 'string' ? { codec: port } : port;
  const parts = [`codec: ${p.codec}`];
  if (p.length !== undefined) parts.push(`length: ${p.length}`);
  if (p.block_size !== undefined) parts.push(`block_size: ${p.block_size}`);
  return `{ ${parts.join(', ')} }`;
}
