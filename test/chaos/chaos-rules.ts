/** What a chaos run must have done, given how it ended. */
import { CHAOS_BLOCKS, CHAOS_JOBS, type ChaosPlan } from './chaos-plan.js';

/** Failure codes that say a worker died (a peer that saw its connection break says MRV_WIRE_CONNECT). */
const DEATH_CODES = ['MRV_LAUNCH_WORKER'];

export interface RunRecord {
  exitCode: number | null;
  /** The kill hit a live process (false: the victim had already exited). */
  killed: boolean;
  /** From the JSON summary; undefined when there was none, or the run did not fail. */
  summary: { failure?: { job: string; code?: string; message: string } } | undefined;
  sink: string[];
  stderrTail: string[];
}

/**
 * A coded failure naming the killed job (any job when the worker was killed before it had one), or,
 * when the kill came after that job's end, exit 0 with the exact output. The sink never prints a wrong
 * value, and marvelo prints no stack trace (no job of this network throws).
 */
export function judge(plan: ChaosPlan, r: RunRecord): string[] {
  const problems: string[] = [];
  const failure = r.summary?.failure;
  if (r.summary === undefined) problems.push('no JSON summary on stdout');
  const wrong = firstWrongLine(r.sink);
  if (wrong) problems.push(`the sink printed a wrong value: ${wrong}`);
  if (r.exitCode === 0) {
    if (r.sink.length !== CHAOS_BLOCKS) problems.push(`finished, but the sink printed ${r.sink.length} of ${CHAOS_BLOCKS} lines`);
  } else if (r.exitCode === 1) {
    if (!r.killed) problems.push('the run failed, but the kill found no process');
    if (failure === undefined) problems.push('exit code 1 without a failure in the summary');
    else {
      if (plan.victim !== undefined && failure.job !== plan.victim) problems.push(`the failure names job '${failure.job}', not the killed job '${plan.victim}'`);
      if (!(CHAOS_JOBS as readonly string[]).includes(failure.job)) problems.push(`the failure names '${failure.job}', not a job of the network`);
      if (!DEATH_CODES.includes(failure.code ?? '')) problems.push(`the failure's code is ${failure.code}, not one of ${DEATH_CODES.join(', ')}`);
    }
  } else {
    problems.push(`exit code ${r.exitCode} (expected 1, or 0 with the exact output)`);
  }
  if (r.stderrTail.some((l) => /^\s+at /.test(l))) problems.push('a stack trace was printed');
  return problems;
}

/** The first line that is not 6 i^3, as "line i: got x, expected y", or undefined. */
function firstWrongLine(lines: string[]): string | undefined {
  for (let i = 1; i <= lines.length; i++) {
    if (lines[i - 1] !== String(6 * i ** 3)) return `line ${i}: got ${lines[i - 1]}, expected ${6 * i ** 3}`;
  }
  return undefined;
}
