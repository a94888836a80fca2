/**
 * The local socket through which `marvelo console` sends lines to a run's console jobs. Protocol
 * (docs/jobs.md): the run greets each connection with one JSON line naming the run; then every text line
 * the client sends goes to every console job. A client leaving does not end the consoles; the end of the
 * run closes every connection and removes the socket.
 */
import { chmodSync, readlinkSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import { consoleSocketPath, ensurePrivateDir, LATEST, runtimeDir } from './runtime-dir.js';

export interface ConsoleGreeting {
  marvelo: 'console';
  run: string;
  network: string;
  consoles: string[];
}

export interface ConsoleSocket {
  readonly path: string;
  close(): void;
}

export async function openConsoleSocket(greeting: Omit<ConsoleGreeting, 'marvelo'>, onLine: (line: string) => void): Promise<ConsoleSocket> {
  const dir = runtimeDir();
  ensurePrivateDir(dir);
  const path = consoleSocketPath(dir, greeting.run);
  const hello = JSON.stringify({ marvelo: 'console', ...greeting } satisfies ConsoleGreeting) + '\n';
  const clients = new Set<Socket>();
  const server = createServer((socket) => {
    clients.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => clients.delete(socket));
    socket.write(hello);
    createInterface({ input: socket, crlfDelay: Infinity }).on('line', onLine);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  chmodSync(path, 0o600);
  pointLatestAt(dir, path);
  return {
    path,
    close: () => {
      server.close();
      for (const c of clients) c.end(() => c.destroy());
      rmSync(path, { force: true });
      unlinkLatestIf(dir, path);
    },
  };
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
