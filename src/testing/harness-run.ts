import { join } from 'node:path';
import { startRun, type RunEvent } from '../api/run.js';
import type { RunSummary } from '../api/summary.js';
import type { JobFailure } from '../control/messages.js';
import { MarveloError } from '../errors.js';
import { packageRoot } from '../paths.js';
import type { CollectedBlock } from './block.js';
import { readCollected } from './exchange.js';

/** The longest a test's run may take unless it says otherwise. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/** The module of one of the harness's own jobs (feed, collect), shipped with the package's sources. */
export function harnessJob(which: 'feed' | 'collect'): string {
  return join(packageRoot(), 'src', 'testing', 'jobs', `${which}.ts`);
}

/** A job's exception as the test sees it: its class name, code and message, and its own stack. */
export interface JobError {
  /** The job that failed. */
  job: string;
  /** The exception's class name (Error, TypeError, MarveloError...). */
  name: string;
  /** The MRV_ code of a coded error, or the exception's own `code` property, if any. */
  code: string | undefined;
  message: string;
  /** The stack the job's exception had in its worker (source-mapped to the job's module). */
  stack: string | undefined;
  hint: string | undefined;
  /** Where it happened: 'load' | 'setup' | 'run' | 'wire'. */
  phase: string;
}

export interface PrintedLine {
  job: string;
  stream: 'stdout' | 'stderr';
  line: string;
}

export interface HarnessRun {
  ok: boolean;
  /** Every line a job printed, in order per stream. */
  printed: PrintedLine[];
  /** Each job's first failure. */
  failures: Map<string, JobError>;
  /** What each collected pipe carried. */
  collected: Map<string, CollectedBlock[]>;
  summary: RunSummary;
  /** The run's id: every worker of the run has it on its command line. */
  runId: string;
}

/**
 * Runs a network the harness made (fed and collected through files) to its end: every worker has
 * exited when this returns or throws. A run that times out throws MRV_RUN_TIMEOUT.
 */
export async function runHarnessNetwork(
  file: string,
  collectors: ReadonlyMap<string, string>,
  cwd: string | undefined,
  clientFeeds: ReadonlyMap<string, readonly unknown[]> = new Map(),
): Promise<HarnessRun> {
  const printed: PrintedLine[] = [];
  const failures = new Map<string, JobError>();
  const onEvent = (e: RunEvent): void => {
    if (e.type === 'log') printed.push({ job: e.job, stream: e.stream, line: e.line });
    else if (e.type === 'job-failed' && !failures.has(e.job)) failures.set(e.job, jobError(e.job, e.failure));
  };
  const handle = startRun(file, { cwd, consoleSocket: false, onEvent });
  // held until the workers run, then passed on in order: the job reads them all, then its feed ends
  for (const [job, items] of clientFeeds) {
    for (const item of items) handle.feed(job, item);
    handle.endFeed(job);
  }
  const result = await handle.done;
  if (result.summary.timedOut) {
    const { timeoutMs } = result.summary.timedOut;
    throw new MarveloError('MRV_RUN_TIMEOUT', `the tested job did not finish within ${timeoutMs} ms`, {
      hint: 'a job that waits for more input than it was given never ends: check its block_count and inputs, or raise the `timeoutMs` option',
    });
  }
  const collected = new Map<string, CollectedBlock[]>();
  for (const [pipe, path] of collectors) collected.set(pipe, readCollected(path));
  return { ok: result.ok, printed, failures, collected, summary: result.summary, runId: handle.runId };
}

function jobError(job: string, f: JobFailure): JobError {
  return { job, name: f.name ?? errorName(f), code: f.code ?? f.errorCode, message: f.message, stack: f.stack, hint: f.hint, phase: f.phase };
}

/** The class name heads the stack ("TypeError: ..."); a stack-less failure is a plain Error. */
function errorName(f: JobFailure): string {
  const first = f.stack?.split('\n', 1)[0] ?? '';
  const m = /^([A-Za-z_$][\w$]*)(?::|$)/.exec(first);
  return m?.[1] ?? 'Error';
}
