/**
 * Base class of jobs that run a program (MARVELO's ExecutableJob / MARVELOJob). The class only
 * carries statics: the loader turns them into the job's ExecutableSpec, and the network file's keys
 * (args, input_flag, output_flag, pass, head, ...) override them per job.
 *
 * The program gets PARAMETERS, then `INPUT_FLAG <pipe>` once per input and `OUTPUT_FLAG <pipe>` once
 * per output, in the order of the network file. Per block it reads and writes `[head] + payload`
 * (the head only with HEAD: HEAD_SIZE bytes, big-endian). Closing its outputs and exiting 0 finishes it.
 *
 * ```ts
 * import { ExecutableJob } from 'marvelo';
 * export default class MovingAverage extends ExecutableJob {
 *   static EXECUTABLE = './bin/movavg';        // relative to this module, or a command on PATH
 *   static PARAMETERS = ['--length', 64, '--window', 4];
 * }
 * ```
 */
export abstract class ExecutableJob {
  /** The program: a path relative to the module file of the class, or a command looked up on PATH. */
  static EXECUTABLE?: string;
  /** Arguments before the pipe flags (numbers are passed as text). */
  static PARAMETERS?: readonly (string | number)[];
  /** Flag before each input pipe (default '-i'). */
  static INPUT_FLAG?: string;
  /** Flag before each output pipe (default '-o'). */
  static OUTPUT_FLAG?: string;
  /** How a pipe is given: 'path' (a file path to open, default) or 'fd' (an open descriptor's number). */
  static PASS?: 'path' | 'fd';
  /** The program reads and writes HEAD_SIZE head bytes before every payload. */
  static HEAD?: boolean;
  static HEAD_SIZE?: number;
  /** Files or folders copied into the job's working folder (relative to the module file). */
  static DEPENDENCIES?: string | string[];
  static GROUPS?: string | string[];
  static DEFAULT_NODE?: string;
  static MAX_QUEUE?: number;
}

/** MARVELO's MARVELOJob: like ExecutableJob, but each pipe is passed as a file descriptor number. */
export abstract class MARVELOJob extends ExecutableJob {
  static override PASS: 'path' | 'fd' = 'fd';
}

/** ExecutableJob or a subclass (the class itself, with its statics). */
export type ExecutableJobClass = typeof ExecutableJob;

/** Statics of an executable job class, as the loader reads them (unchecked). */
export interface ExecutableStaticsSource {
  EXECUTABLE?: unknown;
  PARAMETERS?: unknown;
  INPUT_FLAG?: unknown;
  OUTPUT_FLAG?: unknown;
  PASS?: unknown;
}

export function isExecutableJobClass(x: unknown): x is ExecutableJobClass {
  return typeof x === 'function' && x.prototype instanceof ExecutableJob;
}
