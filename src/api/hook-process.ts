/**
 * Runs one argument vector as a child process in a process group of its own, with a time limit, and
 * stops the whole group when asked to (Ctrl-C) or when the limit runs out: SIGTERM, then SIGKILL after
 * a grace period. Never a shell: the program is executed directly with its arguments.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { TailLines } from '../worker/exec/tail-lines.js';
import { LineSplitter } from '../worker/line-splitter.js';

/** After SIGTERM, the group has this long before SIGKILL. */
export const STOP_GRACE_MS = 5000;
/** Output lines kept for the record (the last ones). */
const OUTPUT_TAIL = 20;

export interface ProcessEnd {
  /** Exit code, or null when killed by a signal or never started. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the program could not be started (ENOENT: not found, EACCES: not executable...). */
  spawnError: NodeJS.ErrnoException | undefined;
  /** Stopped because its time limit ran out, or because it was interrupted. */
  stoppedBy: 'timeout' | 'interrupt' | undefined;
  durationMs: number;
  /** Its last lines of output (stdout and stderr together). */
  output: string[];
}

export interface ProcessOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  /** Each whole line the process writes, stdout and stderr. */
  onLine: (line: string) => void;
  onStarted?: (pid: number) => void;
}

/** One running hook process; `ended` settles once it exited (or could not start) and its group was swept. */
export class GroupProcess {
  readonly ended: Promise<ProcessEnd>;
  private readonly child: ChildProcess;
  private stoppedBy: ProcessEnd['stoppedBy'];
  private killTimer: NodeJS.Timeout | undefined;
  private groupGone = false;

  constructor(argv: readonly string[], opts: ProcessOptions) {
    const started = Date.now();
    const tail = new TailLines(OUTPUT_TAIL);
    // detached: a group of its own, so a Ctrl-C in the terminal reaches only the client, which stops it
    this.child = spawn(argv[0]!, argv.slice(1), { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const onLine = (line: string) => {
      tail.keep(line);
      opts.onLine(line);
    };
    const streams = [new LineSplitter(onLine), new LineSplitter(onLine)] as const;
    this.child.stdout!.setEncoding('utf8').on('data', (d: string) => streams[0].push(d));
    this.child.stderr!.setEncoding('utf8').on('data', (d: string) => streams[1].push(d));
    const timeout = setTimeout(() => this.stop('timeout'), opts.timeoutMs);
    this.ended = new Promise((resolve) => {
      let spawnError: NodeJS.ErrnoException | undefined;
      this.child.on('spawn', () => opts.onStarted?.(this.child.pid!));
      this.child.on('error', (err) => {
        spawnError = err;
        // no 'close' follows an error of spawn when no stdio was opened; settle here
        if (this.child.pid === undefined) finish(null, null);
      });
      this.child.on('close', (code, signal) => finish(code, signal));
      let settled = false;
      const finish = (exitCode: number | null, signal: NodeJS.Signals | null) => {
        if (settled) return;
        settled = true;
        clearTimeout(timeout);
        clearTimeout(this.killTimer);
        for (const s of streams) s.end();
        // a stopped hook leaves nothing behind: what it started and what ignored SIGTERM goes too
        if (this.stoppedBy !== undefined) this.signalGroup('SIGKILL');
        this.groupGone = true;
        resolve({ exitCode, signal, spawnError, stoppedBy: this.stoppedBy, durationMs: Date.now() - started, output: tail.get() });
      };
    });
  }

  /** SIGTERM to the group, SIGKILL after the grace period. */
  stop(why: 'timeout' | 'interrupt'): void {
    if (this.stoppedBy !== undefined || this.groupGone) return;
    this.stoppedBy = why;
    this.signalGroup('SIGTERM');
    this.killTimer = setTimeout(() => this.signalGroup('SIGKILL'), STOP_GRACE_MS);
  }

  /** At once, for a client about to exit. */
  kill(): void {
    this.stoppedBy ??= 'interrupt';
    this.signalGroup('SIGKILL');
  }

  private signalGroup(signal: NodeJS.Signals): void {
    const pid = this.child.pid;
    // once the group was swept after the exit, its number may be reused: never signal it again
    if (pid === undefined || this.groupGone) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // the group is already gone
    }
  }
}
