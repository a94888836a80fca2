/**
 * The local socket through which `marvelo console` sends lines to a run's console jobs. Protocol
 * (docs/jobs.md): the run greets each connection with one JSON line naming the run; then every text line
 * the client sends goes to every console job. A line longer than CONSOLE_LINE_LIMIT is skipped and
 * answered with one JSON error line; the connection and the run go on. A client leaving does not end
 * the consoles; the end of the run closes every connection and removes the socket and its `latest` link,
 * also when the client exits abruptly (process.exit, an uncaught error). Sockets that a killed run left
 * behind are removed by the next run that opens one.
 */
import { chmodSync, readdirSync, readlinkSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { basename, join } from 'node:path';
import { lineTooLongError, readConsoleLines } from './console-lines.js';
import { isRunId } from './records/id.js';
import { consoleSocketPath, ensurePrivateDir, LATEST, runtimeDir } from './runtime-dir.js';

export interface ConsoleGreeting {
  marvelo: 'console';
  run: string;
  network: string;
  consoles: string[];
}

/** What the run sends back when it skips a line (one JSON line). */
export interface ConsoleReply {
  marvelo: 'error';
  code: string;
  message: string;
  hint: string | undefined;
}

export interface ConsoleSocket {
  readonly path: string;
  close(): void;
}

export async function openConsoleSocket(greeting: Omit<ConsoleGreeting, 'marvelo'>, onLine: (line: string) => void): Promise<ConsoleSocket> {
  const dir = runtimeDir();
  ensurePrivateDir(dir);
  await removeStaleSockets(dir);
  const path = consoleSocketPath(dir, greeting.run);
  const hello = JSON.stringify({ marvelo: 'console', ...greeting } satisfies ConsoleGreeting) + '\n';
  const tooLong = lineTooLongError('from this client');
  const refusal = JSON.stringify({ marvelo: 'error', code: tooLong.code, message: tooLong.message, hint: tooLong.hint } satisfies ConsoleReply) + '\n';
  const clients = new Set<Socket>();
  const server = createServer((socket) => {
    clients.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => clients.delete(socket));
    socket.write(hello);
    readConsoleLines(socket, onLine, () => socket.write(refusal));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  chmodSync(path, 0o600);
  pointLatestAt(dir, path);
  const removeFiles = () => {
    rmSync(path, { force: true });
    unlinkLatestIf(dir, path);
  };
  process.on('exit', removeFiles);
  return {
    path,
    close: () => {
      server.close();
      for (const c of clients) c.end(() => c.destroy());
      process.off('exit', removeFiles);
      removeFiles();
    },
  };
}

/** Removes the sockets of runs that ended without removing theirs (nothing listens on them any more). */
async function removeStaleSockets(dir: string): Promise<void> {
  const sockets = readdirSync(dir).filter((name) => name.endsWith('.sock') && isRunId(name.slice(0, -'.sock'.length)));
  await Promise.all(
    sockets.map(async (name) => {
      const file = join(dir, name);
      if (await nobodyListens(file)) {
        rmSync(file, { force: true });
        unlinkLatestIf(dir, file);
      }
    }),
  );
}

function nobodyListens(file: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = connect(file);
    probe.once('connect', () => {
      probe.destroy();
      resolve(false);
    });
    probe.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED'));
  });
}

function pointLatestAt(dir: string, socket: string): void {
  const tmp = join(dir, `.${basename(socket)}.latest`);
  rmSync(tmp, { force: true });
  symlinkSync(basename(socket), tmp);
  renameSync(tmp, join(dir, LATEST));
}

function unlinkLatestIf(dir: string, socket: string): void {
  const latest = join(dir, LATEST);
  try {
    if (readlinkSync(latest) === basename(socket)) rmSync(latest, { force: true });
  } catch {
    // no latest link, or another run replaced it
  }
}
