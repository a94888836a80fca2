import { existsSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { lineTooLongError, readConsoleLines } from '../api/console-lines.js';
import type { ConsoleGreeting, ConsoleReply } from '../api/console-server.js';
import { consoleSocketPath, LATEST, runtimeDir } from '../api/runtime-dir.js';
import { formatError, MarveloError } from '../errors.js';
import { isRunId } from '../api/records/id.js';


/**
 * `marvelo console [run]`: attaches to the console socket of a running network (the latest run, or the
 * given run id) and sends it every line of stdin. Ends when stdin ends (the run goes on) or the run ends.
 * A line longer than the console limit is not sent (and the exit code is then 1); what the run answers
 * (an error for a line it skipped) is printed.
 */
export async function consoleCommand(runId: string | undefined): Promise<number> {
  const path = socketPath(runId);
  const socket = await attach(path, runId);
  let skipped = 0;
  const greeting = await greetingOf(socket, (reply) => {
    skipped++;
    process.stderr.write(`error: ${reply.code} ${reply.message}${reply.hint ? `\n  hint: ${reply.hint}` : ''}\n`);
  });
  process.stderr.write(
    `[marvelo] attached to run ${greeting.run} (network ${greeting.network}); each line goes to ${greeting.consoles.join(', ')}. Ctrl-D detaches.\n`,
  );
  let detached = false;
  readConsoleLines(
    process.stdin,
    (line) => socket.write(line + '\n'),
    () => {
      skipped++;
      process.stderr.write(`error: ${formatError(lineTooLongError('on the standard input'))}\n`);
    },
    () => {
      detached = true;
      socket.end();
    },
  );
  await new Promise<void>((resolve) => socket.once('close', () => resolve()));
  if (!detached) {
    process.stderr.write(`[marvelo] run ${greeting.run} ended\n`);
    process.stdin.destroy();
  }
  return skipped > 0 ? 1 : 0;
}

function socketPath(runId: string | undefined): string {
  const dir = runtimeDir();
  if (runId === undefined) return join(dir, LATEST);
  if (!isRunId(runId)) {
    throw new MarveloError('MRV_CONSOLE_SOCKET', `'${runId}' is not a run id`, {
      hint: 'a run id looks like 20261204-133512-087-3f9a1c; `marvelo run` prints it when the network has console jobs, or omit it to attach to the latest run',
    });
  }
  return consoleSocketPath(dir, runId);
}

function attach(path: string, runId: string | undefined): Promise<Socket> {
  const which = runId === undefined ? 'no running network with console jobs was found' : `run ${runId} is not running, or has no console jobs`;
  const notRunning = (cause?: unknown) =>
    new MarveloError('MRV_CONSOLE_SOCKET', `${which} (looked for ${path})`, {
      hint: 'start a network with a builtin:console job with `marvelo run`; it prints its run id. Set MARVELO_RUNTIME_DIR if the run uses another folder',
      cause,
    });
  if (!existsSync(path)) return Promise.reject(notRunning());
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    socket.once('error', (err) => reject(notRunning(err)));
    socket.once('connect', () => {
      // From here on, a broken connection shows as 'close': the run ended.
      socket.on('error', () => {});
      resolve(socket);
    });
  });
}

/** The run's greeting: its first line. Later lines are its replies (an error for a line it skipped). */
function greetingOf(socket: Socket, onReply: (reply: ConsoleReply) => void): Promise<ConsoleGreeting> {
  return new Promise((resolve, reject) => {
    let greeted = false;
    readConsoleLines(
      socket,
      (line) => {
        if (greeted) {
          const reply = parseReply(line);
          if (reply) onReply(reply);
          return;
        }
        greeted = true;
        const greeting = parseGreeting(line);
        if (greeting) resolve(greeting);
        else reject(new MarveloError('MRV_CONSOLE_SOCKET', `the socket answered something other than a marvelo console: ${line.slice(0, 80)}`));
      },
      () => {},
      () => {
        if (!greeted) reject(new MarveloError('MRV_CONSOLE_SOCKET', 'the run closed the console socket before greeting'));
      },
    );
  });
}

function parseReply(line: string): ConsoleReply | undefined {
  try {
    const r = JSON.parse(line) as Partial<ConsoleReply>;
    return r.marvelo === 'error' && typeof r.code === 'string' && typeof r.message === 'string' ? (r as ConsoleReply) : undefined;
  } catch {
    return undefined;
  }
}

function parseGreeting(line: string): ConsoleGreeting | undefined {
  try {
    const g = JSON.parse(line) as Partial<ConsoleGreeting>;
    return g.marvelo === 'console' && Array.isArray(g.consoles) ? (g as ConsoleGreeting) : undefined;
  } catch {
    return undefined;
  }
}
