import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A child process with its exit as a promise, and a way to end it that is always awaited. */
export interface OwnedChild {
  readonly child: ChildProcess;
  readonly exited: Promise<ChildExit>;
  /** After the exit, once its stdio streams have closed too (every line of its output was read). */
  readonly closed: Promise<void>;
  /** SIGKILL if still running, then wait for the exit. */
  kill(): Promise<ChildExit>;
}

export function spawnOwned(command: string, args: string[], options: SpawnOptions): OwnedChild {
  const child = spawn(command, args, options);
  const exited = new Promise<ChildExit>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    // a child that could not start emits 'error' and never 'exit'
    child.once('error', () => resolve({ code: -1, signal: null }));
  });
  const closed = new Promise<void>((resolve) => {
    child.once('close', () => resolve());
    child.once('error', () => resolve());
  });
  return {
    child,
    exited,
    closed,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) child.kill('SIGKILL');
      return exited;
    },
  };
}

/** Calls `onLine` for each line of a readable stream (a child's stdout or stderr). */
export function forEachLine(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void): void {
  if (stream) createInterface({ input: stream, crlfDelay: Infinity }).on('line', onLine);
}

export function describeExit(e: ChildExit): string {
  return e.signal ? `was killed by ${e.signal}` : `exited with code ${e.code}`;
}
