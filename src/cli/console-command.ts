import { existsSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { ConsoleGreeting } from '../api/console-server.js';
import { consoleSocketPath, LATEST, runtimeDir } from '../api/runtime-dir.js';
import { MarveloError } from '../errors.js';

const RUN_ID = /^[0-9a-f]{12}$/;

/**
 * `marvelo console [run]`: attaches to the console socket of a running network (the latest run, or the
 * given run id) and sends it every line of stdin. Ends when stdin ends (the run goes on) or the run ends.
 */
export async function consoleCommand(runId: string | undefined): Promise<number> {
  const path = socketPath(runId);
  const socket = await attach(path, runId);
  const greeting = await firstLine(socket);
  process.stderr.write(
    `[marvelo] attached to run ${greeting.run} (network ${greeting.network}); each line goes to ${greeting.consoles.join(', ')}. Ctrl-D detaches.\n`,
  );
  let detached = false;
  const input = createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false });
  input.on('line', (line) => socket.write(line + '\n'));
  input.on('close', () => {
    detached = true;
    socket.end();
  });
  await new Promise<void>((resolve) => socket.once('close', () => resolve()));
  if (!detached) {
    process.stderr.write(`[marvelo] run ${greeting.run} ended\n`);
    input.close();
    process.stdin.destroy();
  }
  return 0;
}

function socketPath(runId: string | undefined): string {
  const dir = runtimeDir();
  if (runId === undefined) return join(dir, LATEST);
  if (!RUN_ID.test(runId)) {
    throw new MarveloError('MRV_CONSOLE_SOCKET', `'${runId}' is not a run id`, {
      hint: 'a run id is 12 hex digits; `marvelo run` prints it when the network has console jobs, or omit it to attach to the latest run',
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

/** The run's greeting: one JSON line. Later data is not expected, but read, so the run's end is seen. */
function firstLine(socket: Socket): Promise<ConsoleGreeting> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onClose = () => reject(new MarveloError('MRV_CONSOLE_SOCKET', 'the run closed the console socket before greeting'));
    const onData = (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const nl = text.indexOf('\n');
      if (nl < 0) return;
      socket.off('data', onData);
      socket.off('close', onClose);
      socket.on('data', () => {});
      const greeting = parseGreeting(text.slice(0, nl));
      if (greeting) resolve(greeting);
      else reject(new MarveloError('MRV_CONSOLE_SOCKET', `the socket answered something other than a marvelo console: ${text.slice(0, 80)}`));
    };
    socket.on('data', onData);
    socket.once('close', onClose);
  });
}

function parseGreeting(line: string): ConsoleGreeting | undefined {
  try {
    const g = JSON.parse(line) as Partial<ConsoleGreeting>;
    return g.marvelo === 'console' && Array.isArray(g.consoles) ? (g as ConsoleGreeting) : undefined;
  } catch {
    return undefined;
  }
}
