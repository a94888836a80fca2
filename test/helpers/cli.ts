import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { onTestFinished } from 'vitest';

export { processesTagged } from './process-table.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = join(ROOT, 'dist', 'cli', 'main.js');
export const FIXTURES = join(ROOT, 'test', 'fixtures', 'run');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Every process of this run carries the tag in its environment. */
  tag: string;
}

export interface CliRun {
  proc: ChildProcess;
  tag: string;
  /** Resolves with the first stdout/stderr line that matches. */
  waitFor(pattern: RegExp, stream?: 'stdout' | 'stderr'): Promise<RegExpMatchArray>;
  done: Promise<CliResult>;
}

export interface CliOptions {
  cwd?: string;
  env?: Record<string, string>;
  /** A command that runs the CLI, e.g. one that gives it a pseudo-terminal. */
  wrapper?: string[];
  /** A file descriptor (a file, a pipe) for the CLI's stdout instead of a pipe read here (`stdout` is then ''). */
  stdout?: number;
}

/**
 * Runs the real `marvelo` CLI in a child process. When the test ends, whatever its outcome (a failed
 * assertion or a timeout included), a CLI still running is killed: its workers then see their control
 * channel close and exit, so a failing test leaves no process behind.
 */
export function startCli(args: string[], opts: CliOptions = {}): CliRun {
  const tag = randomUUID();
  // Run records go to a folder of this test process unless a test chooses (MARVELO_RUNS_DIR '' = next to the network file)
  const env = { MARVELO_RUNS_DIR: testRunsDir(), ...opts.env };
  const argv = [...(opts.wrapper ?? []), process.execPath, CLI, ...args];
  const proc = spawn(argv[0]!, argv.slice(1), {
    cwd: opts.cwd ?? ROOT,
    env: { ...process.env, ...env, MARVELO_TEST_TAG: tag, FORCE_COLOR: '0' },
    stdio: ['pipe', opts.stdout ?? 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters: { re: RegExp; stream?: 'stdout' | 'stderr'; resolve: (m: RegExpMatchArray) => void }[] = [];
  const check = () => {
    for (let i = waiters.length - 1; i >= 0; i--) {
      const w = waiters[i]!;
      const text = w.stream === 'stderr' ? stderr : w.stream === 'stdout' ? stdout : stdout + '\n' + stderr;
      const m = text.match(w.re);
      if (m) {
        waiters.splice(i, 1);
        w.resolve(m);
      }
    }
  };
  proc.stdout?.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
    check();
  });
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
    check();
  });
  let closed = false;
  onTestFinished(async () => {
    if (closed) return;
    proc.kill('SIGKILL');
    await done;
  });
  const done = new Promise<CliResult>((resolve) => {
    proc.on('close', (code, signal) => {
      closed = true;
      for (const w of waiters) w.resolve(null as unknown as RegExpMatchArray);
      resolve({ code, signal, stdout, stderr, tag });
    });
  });
  return {
    proc,
    tag,
    done,
    waitFor: (re, stream) =>
      new Promise((resolve, reject) => {
        waiters.push({
          re,
          stream,
          resolve: (m) => (m ? resolve(m) : reject(new Error(`process ended before ${re} appeared:\n${stdout}\n${stderr}`))),
        });
        check();
      }),
  };
}

let runsDir: string | undefined;
/** A runs folder of this test process, removed when it exits: where the CLI started by tests records its runs. */
export function testRunsDir(): string {
  if (runsDir === undefined) {
    const dir = (runsDir = mkdtempSync(join(tmpdir(), 'marvelo-runs-')));
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return runsDir;
}

export function runCli(args: string[], opts: CliOptions = {}): Promise<CliResult> {
  return startCli(args, opts).done;
}

export function fixture(name: string): string {
  return join(FIXTURES, name);
}

/** Lines a job printed, without the `name | ` (or, for a job on another node, `name@node | `) prefix. */
export function jobLines(output: string, job: string): string[] {
  const re = new RegExp(`^${job}(?:@\\S+)?\\s*\\| (.*)$`);
  return output
    .split('\n')
    .map((l) => l.match(re)?.[1])
    .filter((l): l is string => l !== undefined);
}
