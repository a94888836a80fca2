import { fstatSync } from 'node:fs';
import { lineTooLongError, readConsoleLines } from '../api/console-lines.js';
import type { RunHandle } from '../api/run.js';
import type { ConsoleEvent } from '../api/run-console.js';
import { formatError } from '../errors.js';

export interface ConsoleInput {
  /** Stops reading (the run ended); does not end the consoles. */
  stop(): void;
  readonly isTTY: boolean;
}

/**
 * When a run has console jobs: feeds them the lines of stdin, and tells the user how to reach them
 * (here, and from another terminal with `marvelo console <run>`).
 */
export function startTerminalConsole(e: ConsoleEvent, handle: Pick<RunHandle, 'feed' | 'endFeed'>, say: (text: string) => void): ConsoleInput | undefined {
  const jobs = e.jobs.join(', ');
  const input = readConsoleInput(
    (line) => {
      for (const job of e.jobs) handle.feed(job, line);
    },
    () => {
      for (const job of e.jobs) handle.endFeed(job);
      if (process.stdin.isTTY) say('[marvelo] console input ended (Ctrl-D)');
    },
    () => say(`[marvelo] error: ${formatError(lineTooLongError('on the standard input'))}`),
  );
  const remote = e.socket ? `; from another terminal: marvelo console ${e.runId}` : '';
  if (input?.isTTY) say(`[marvelo] console: type a line to send it to ${jobs}, Ctrl-D ends it${remote}`);
  else if (e.socket) say(`[marvelo] console of run ${e.runId}: send lines to ${jobs} with: marvelo console ${e.runId}`);
  if (e.problem) say(`[marvelo] no console socket for this run: ${e.problem}`);
  return input;
}

/**
 * Feeds the lines of `marvelo run`'s stdin to the run's console jobs. A terminal is read in its normal
 * line mode (so Ctrl-C still interrupts), and Ctrl-D ends the consoles; a pipe or file ends them at its
 * end. A stdin that cannot carry lines (/dev/null, closed) is not read: `marvelo console` still can.
 * A line longer than the console limit is skipped (onTooLong), and reading goes on.
 */
export function readConsoleInput(onLine: (line: string) => void, onEnd: () => void, onTooLong: () => void): ConsoleInput | undefined {
  if (!stdinCarriesLines()) return undefined;
  const stdin = process.stdin;
  let stopped = false;
  readConsoleLines(stdin, onLine, onTooLong, () => {
    if (!stopped) onEnd();
  });
  return {
    isTTY: stdin.isTTY === true,
    stop: () => {
      stopped = true;
      stdin.destroy();
    },
  };
}

function stdinCarriesLines(): boolean {
  if (process.stdin.isTTY) return true;
  try {
    const st = fstatSync(0);
    return st.isFIFO() || st.isFile() || st.isSocket();
  } catch {
    return false;
  }
}
