/** Names in the imported network for the original's numbered jobs and pipes. */
import type { OriginalJob } from './original.js';

/** `CountJob` -> `count_job`. */
export function snakeCase(name: string): string {
  const snake = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9_.-]+/g, '_')
    .toLowerCase();
  return /^[a-z]/.test(snake) ? snake : `job_${snake}`;
}

/** A job's name: its class in snake case, with the original's job id when the class is used more than once. */
export function jobNames(jobs: { id: number; cls: string }[]): Map<number, string> {
  const count = new Map<string, number>();
  for (const j of jobs) count.set(j.cls, (count.get(j.cls) ?? 0) + 1);
  return new Map(jobs.map((j) => [j.id, count.get(j.cls) === 1 ? snakeCase(j.cls) : `${snakeCase(j.cls)}_${j.id}`]));
}

/** Pipe 101 keeps its number as its name (a python job then sees pipe.id 101, as in the original); a pipe id that is a string keeps its letters, digits and `_ . -`. */
export function pipeName(id: number | string): string {
  return typeof id === 'number' ? String(id) : String(id).replace(/[^A-Za-z0-9_.-]+/g, '_') || '_';
}

/** A pipe as the network file names it in inputs and outputs: a number stays a number. */
export function pipeRef(id: number | string): number | string {
  return typeof id === 'number' ? id : pipeName(id);
}

export function describeJob(job: OriginalJob, name: string): string {
  return `job '${name}' (${job.cls} ${job.id})`;
}
