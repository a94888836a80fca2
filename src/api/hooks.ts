/**
 * The network file's `hooks:`, run on the client once the run has ended (its record final): on_success
 * when it succeeded, on_failure when it failed or timed out, then on_finish always. A cancelled run runs
 * only on_finish: the one who cancelled it knows, so a failure alert would be noise (as GitHub Actions'
 * failure() is false for a cancelled job). A hook's failure is a notice and a record entry, never a
 * change of the run's status or exit code.
 */
import { isAbsolute, resolve } from 'node:path';
import { showDuration } from '../config/duration.js';
import { HOOK_NAMES } from '../config/hooks.js';
import type { HookName, HooksSpec, Network } from '../config/types.js';
import { Keeper } from '../launch/keeper.js';
import { GroupProcess, type ProcessEnd } from './hook-process.js';
import type { RunStatus } from './records/types.js';

/** How one hook went; `status` says it in the words of a run's status. */
export interface HookOutcome {
  hook: HookName;
  argv: string[];
  status: 'succeeded' | 'failed' | 'timed_out' | 'cancelled';
  /** `JobExit(<code>)`, `JobExit(<signal>)`, `NotFound`, `NotStarted(<errno code>)`, `DeadlineExceeded` or `Cancelled`; absent when it succeeded. */
  reason?: string;
  exitCode: number | null;
  signal: string | null;
  durationMs: number;
  /** Its last lines of output (stdout and stderr together). */
  output: string[];
}

/** What hooks run may emit (RunEvent members). */
export type HookEvent =
  | { type: 'hook-started'; hook: HookName; argv: string[]; pid: number }
  | { type: 'hook-log'; hook: HookName; line: string }
  | ({ type: 'hook' } & HookOutcome)
  | { type: 'notice'; text: string };

export interface HookContext {
  network: Network;
  runId: string;
  status: Exclude<RunStatus, 'queued' | 'running'>;
  /** The run's record folder, when it is recorded. */
  recordDir: string | undefined;
  onEvent: (e: HookEvent) => void;
}

/** The hooks a run with this final status runs, in order. */
export function hooksFor(hooks: HooksSpec | undefined, status: HookContext['status']): { hook: HookName; argv: string[] }[] {
  if (hooks === undefined) return [];
  const wanted: HookName[] = status === 'succeeded' ? ['on_success', 'on_finish'] : status === 'cancelled' ? ['on_finish'] : ['on_failure', 'on_finish'];
  return HOOK_NAMES.filter((h) => wanted.includes(h) && hooks.commands[h] !== undefined).map((hook) => ({ hook, argv: hooks.commands[hook]! }));
}

/** Runs a run's hooks one after the other; Ctrl-C stops the one running and skips the rest. */
export class HookRunner {
  private current: GroupProcess | undefined;
  private started = false;
  private stopped = false;

  async run(ctx: HookContext): Promise<HookOutcome[]> {
    const outcomes: HookOutcome[] = [];
    this.started = true;
    const hooks = hooksFor(ctx.network.hooks, ctx.status);
    if (hooks.length === 0) return outcomes;
    // A client killed while a hook runs: the keeper kills the hook's process group.
    const keeper = new Keeper();
    try {
      for (const { hook, argv } of hooks) {
        if (this.stopped) break;
        let pid: number | undefined;
        const proc = new GroupProcess([programOf(argv[0]!, ctx.network.dir), ...argv.slice(1)], {
          cwd: ctx.network.dir,
          env: hookEnv(ctx, hook),
          timeoutMs: ctx.network.hooks!.timeoutMs,
          onLine: (line) => ctx.onEvent({ type: 'hook-log', hook, line }),
          onStarted: (started) => {
            pid = started;
            keeper.watch(started);
            ctx.onEvent({ type: 'hook-started', hook, argv, pid: started });
          },
        });
        this.current = proc;
        const outcome = outcomeOf(hook, argv, await proc.ended);
        if (pid !== undefined) keeper.forget(pid);
        this.current = undefined;
        outcomes.push(outcome);
        ctx.onEvent({ type: 'hook', ...outcome });
        if (outcome.status !== 'succeeded') ctx.onEvent({ type: 'notice', text: failureNotice(outcome, ctx.status) });
      }
    } finally {
      keeper.end();
    }
    return outcomes;
  }

  /** Ctrl-C: once hooks run, stops the running one (its whole process group) and runs no more. Before, nothing. */
  interrupt(): void {
    if (!this.started) return;
    this.stopped = true;
    this.current?.stop('interrupt');
  }

  /** The client exits now: the running hook's group is killed at once. */
  kill(): void {
    this.stopped = true;
    this.current?.kill();
  }
}

/** A program given as a path is relative to the network file's folder; a bare name is looked up on PATH. */
function programOf(program: string, dir: string): string {
  return program.includes('/') && !isAbsolute(program) ? resolve(dir, program) : program;
}

/** The client's environment and what the hook needs to know of the run (a client's own MARVELO_RUN_RECORD is not passed on). */
function hookEnv(ctx: HookContext, hook: HookName): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    MARVELO_RUN_ID: ctx.runId,
    MARVELO_RUN_STATUS: ctx.status,
    MARVELO_NETWORK: ctx.network.file,
    MARVELO_HOOK: hook,
  };
  if (ctx.recordDir === undefined) delete env['MARVELO_RUN_RECORD'];
  else env['MARVELO_RUN_RECORD'] = resolve(ctx.recordDir);
  return env;
}

function outcomeOf(hook: HookName, argv: string[], end: ProcessEnd): HookOutcome {
  const base = { hook, argv, exitCode: end.exitCode, signal: end.signal, durationMs: end.durationMs, output: end.output };
  if (end.spawnError !== undefined) {
    const code = end.spawnError.code ?? 'Error';
    return { ...base, status: 'failed', reason: code === 'ENOENT' ? 'NotFound' : `NotStarted(${code})` };
  }
  if (end.stoppedBy === 'timeout') return { ...base, status: 'timed_out', reason: 'DeadlineExceeded' };
  if (end.stoppedBy === 'interrupt') return { ...base, status: 'cancelled', reason: 'Cancelled' };
  if (end.exitCode === 0) return { ...base, status: 'succeeded' };
  return { ...base, status: 'failed', reason: `JobExit(${end.signal ?? end.exitCode})` };
}

function failureNotice(o: HookOutcome, runStatus: string): string {
  const what =
    o.reason === 'NotFound'
      ? `was not found (a path is relative to the network file's folder, a name is looked up on PATH)`
      : o.reason?.startsWith('NotStarted') === true
        ? `could not be started (${o.reason})`
        : o.status === 'timed_out'
          ? `ran longer than its timeout and was stopped after ${showDuration(o.durationMs)}`
          : o.status === 'cancelled'
            ? 'was interrupted'
            : o.signal !== null
              ? `was killed by ${o.signal}`
              : `exited with code ${o.exitCode}`;
  const output = o.output.length > 0 && o.status === 'failed' ? `; its last lines:\n${o.output.slice(-5).map((l) => `  ${l}`).join('\n')}` : '';
  return `MRV_RUN_HOOK hook ${o.hook} ${JSON.stringify(o.argv)} ${what}; the run stays ${runStatus}${output}`;
}

/** A run's final status as its record says it, from what `done` settled with. */
export function finalStatusOf(end: { summaryStatus: 'finished' | 'failed' | 'interrupted' | 'timed_out' } | { error: unknown }): HookContext['status'] {
  if ('error' in end) {
    const code = (end.error as { code?: unknown } | null)?.code;
    return code === 'MRV_RUN_INTERRUPTED' ? 'cancelled' : 'failed';
  }
  return end.summaryStatus === 'finished' ? 'succeeded' : end.summaryStatus === 'interrupted' ? 'cancelled' : end.summaryStatus;
}
