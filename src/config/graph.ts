/** Checks that jobs and pipes form a network: unique job names, one producer and one consumer per pipe. */
import { MarveloError, type SourceLocation } from '../errors.js';
import type { RawNetwork } from './raw.js';
import type { YamlSource } from './source.js';
import { didYouMean } from './suggest.js';

/** One mention of a pipe in a job's inputs or outputs. */
export interface PipeUse {
  job: string;
  jobIndex: number;
  index: number;
  where: SourceLocation;
}

export interface PipeEnds {
  /** Distinct jobs listing the pipe under outputs, in file order. */
  producers: PipeUse[];
  /** Distinct jobs listing the pipe under inputs, in file order. */
  consumers: PipeUse[];
}

export function collectPipeEnds(raw: RawNetwork, src: YamlSource): Map<string, PipeEnds> {
  const ends = new Map<string, PipeEnds>();
  const endsOf = (pipe: string): PipeEnds => {
    let e = ends.get(pipe);
    if (e === undefined) ends.set(pipe, (e = { producers: [], consumers: [] }));
    return e;
  };
  raw.jobs.forEach((job, jobIndex) => {
    for (const side of ['inputs', 'outputs'] as const) {
      (job[side] ?? []).forEach((name, index) => {
        const list = side === 'inputs' ? endsOf(String(name)).consumers : endsOf(String(name)).producers;
        // A pipe listed twice by one job is reported by checkGraph, not counted as a second end.
        if (list.some((u) => u.jobIndex === jobIndex)) return;
        list.push({ job: job.name, jobIndex, index, where: src.valueAt(['jobs', jobIndex, side, index]) });
      });
    }
  });
  return ends;
}

export function checkGraph(raw: RawNetwork, src: YamlSource, ends: Map<string, PipeEnds>): MarveloError[] {
  return [
    ...checkUniqueJobNames(raw, src),
    ...checkRepeatedPipes(raw, src),
    ...checkSelfLoops(raw, src),
    ...checkPipeEnds(ends),
    ...checkDeclaredPipesAreUsed(raw, src, ends),
  ];
}

function checkUniqueJobNames(raw: RawNetwork, src: YamlSource): MarveloError[] {
  const errors: MarveloError[] = [];
  const first = new Map<string, SourceLocation>();
  raw.jobs.forEach((job, i) => {
    const where = src.valueAt(['jobs', i, 'name']);
    const earlier = first.get(job.name);
    if (earlier === undefined) {
      first.set(job.name, where);
      return;
    }
    errors.push(
      new MarveloError('MRV_CONFIG_GRAPH', `duplicate job name '${job.name}': line ${earlier.line} already uses it`, {
        where,
        job: job.name,
        hint: 'job names must be unique; rename one of the two jobs',
      }),
    );
  });
  return errors;
}

function checkRepeatedPipes(raw: RawNetwork, src: YamlSource): MarveloError[] {
  const errors: MarveloError[] = [];
  raw.jobs.forEach((job, jobIndex) => {
    for (const side of ['inputs', 'outputs'] as const) {
      const seen = new Map<string, number>();
      (job[side] ?? []).forEach((name, index) => {
        const pipe = String(name);
        const earlier = seen.get(pipe);
        if (earlier === undefined) {
          seen.set(pipe, index);
          return;
        }
        errors.push(
          new MarveloError('MRV_CONFIG_GRAPH', `pipe '${pipe}' is listed twice in the ${side} of job '${job.name}'`, {
            where: src.valueAt(['jobs', jobIndex, side, index]),
            job: job.name,
            pipe,
            hint: `a pipe joins one producer to one consumer; give each ${side === 'inputs' ? 'input' : 'output'} its own pipe`,
          }),
        );
      });
    }
  });
  return errors;
}

function checkSelfLoops(raw: RawNetwork, src: YamlSource): MarveloError[] {
  const errors: MarveloError[] = [];
  raw.jobs.forEach((job, jobIndex) => {
    const inputs = (job.inputs ?? []).map(String);
    (job.outputs ?? []).forEach((name, index) => {
      const pipe = String(name);
      const inputIndex = inputs.indexOf(pipe);
      if (inputIndex < 0) return;
      const inputAt = src.valueAt(['jobs', jobIndex, 'inputs', inputIndex]);
      errors.push(
        new MarveloError(
          'MRV_CONFIG_GRAPH',
          `job '${job.name}' is connected to itself: pipe '${pipe}' is in its inputs (line ${inputAt.line}) and its outputs`,
          {
            where: src.valueAt(['jobs', jobIndex, 'outputs', index]),
            job: job.name,
            pipe,
            hint: 'a pipe cannot loop back into the job that writes it; send it to another job',
          },
        ),
      );
    });
  });
  return errors;
}

function checkPipeEnds(ends: Map<string, PipeEnds>): MarveloError[] {
  const errors: MarveloError[] = [];
  const unread = [...ends].filter(([, e]) => e.consumers.length === 0).map(([name]) => name);
  const unwritten = [...ends].filter(([, e]) => e.producers.length === 0).map(([name]) => name);
  for (const [pipe, { producers, consumers }] of ends) {
    if (producers.length === 0) {
      const reader = consumers[0]!;
      errors.push(
        new MarveloError('MRV_CONFIG_GRAPH', `pipe '${pipe}' has no producer: job '${reader.job}' reads it, but no job lists it under outputs`, {
          where: reader.where,
          job: reader.job,
          pipe,
          hint: `${didYouMean(pipe, unread)}add '${pipe}' to the outputs of the job that writes it`,
        }),
      );
    }
    if (consumers.length === 0) {
      const writer = producers[0]!;
      errors.push(
        new MarveloError('MRV_CONFIG_GRAPH', `pipe '${pipe}' has no consumer: job '${writer.job}' writes it, but no job lists it under inputs`, {
          where: writer.where,
          job: writer.job,
          pipe,
          hint: `${didYouMean(pipe, unwritten)}add '${pipe}' to the inputs of the job that reads it, or remove it from the outputs of '${writer.job}'`,
        }),
      );
    }
    if (producers.length > 1) errors.push(tooManyEnds(pipe, producers, 'producer', 'outputs'));
    if (consumers.length > 1) errors.push(tooManyEnds(pipe, consumers, 'consumer', 'inputs'));
  }
  return errors;
}

function tooManyEnds(pipe: string, uses: PipeUse[], role: string, side: string): MarveloError {
  const jobs = uses.map((u) => `job '${u.job}' (line ${u.where.line})`);
  const listed = `${jobs.slice(0, -1).join(', ')} and ${jobs[jobs.length - 1]}`;
  const count = uses.length === 2 ? 'two' : String(uses.length);
  return new MarveloError('MRV_CONFIG_GRAPH', `pipe '${pipe}' has ${count} ${role}s: ${listed} list it under ${side}`, {
    where: uses[1]!.where,
    job: uses[1]!.job,
    pipe,
    hint: `a pipe joins exactly one producer to one consumer; give each ${role} its own pipe`,
  });
}

function checkDeclaredPipesAreUsed(raw: RawNetwork, src: YamlSource, ends: Map<string, PipeEnds>): MarveloError[] {
  const declared = Object.keys(raw.pipes ?? {});
  const undeclared = [...ends.keys()].filter((p) => !declared.includes(p));
  return declared
    .filter((pipe) => !ends.has(pipe))
    .map(
      (pipe) =>
        new MarveloError('MRV_CONFIG_GRAPH', `pipe '${pipe}' is declared under pipes: but no job reads or writes it`, {
          where: src.keyAt(['pipes', pipe]),
          pipe,
          hint: `${didYouMean(pipe, undeclared)}list it in the outputs of one job and the inputs of another, or remove it`,
        }),
    );
}
