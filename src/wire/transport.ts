import { lstat, unlink } from 'node:fs/promises';
import net from 'node:net';
import { MarveloError } from '../errors.js';
import type { Address } from './types.js';

export type ListenSpec = { kind: 'unix'; path: string } | { kind: 'tcp'; host: string; port?: number };

export interface Listener {
  /** Where peers dial: the socket path, or the bound host and the real port. */
  readonly address: Address;
  /** Stop accepting. Accepted sockets belong to their owners and stay open. */
  close(): Promise<void>;
}

/** `unix:/path` or `tcp:host:port`, for messages. */
export function formatAddress(address: Address): string {
  return address.kind === 'unix' ? `unix:${address.path}` : `tcp:${address.host}:${address.port}`;
}

/**
 * Listen for data connections. TCP binds `host` (port 0 or none = any free port, reported in
 * `address`); a Unix socket replaces a stale socket file but refuses a path a live listener holds.
 * Accepted TCP sockets have Nagle off (frames are batched already).
 */
export async function listen(spec: ListenSpec, onSocket: (socket: net.Socket) => void): Promise<Listener> {
  if (spec.kind === 'unix') await removeStaleSocket(spec.path);
  const server = net.createServer((socket) => {
    if (spec.kind === 'tcp') socket.setNoDelay(true);
    onSocket(socket);
  });
  const where = spec.kind === 'unix' ? `unix:${spec.path}` : `tcp:${spec.host}:${spec.port ?? 0}`;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(new MarveloError('MRV_WIRE_CONNECT', `cannot listen on ${where}: ${err.message}`, {
        cause: err,
        hint: listenHint(err, spec),
      }));
    });
    if (spec.kind === 'unix') server.listen(spec.path, resolve);
    else server.listen(spec.port ?? 0, spec.host, resolve);
  });
  // later server errors (e.g. EMFILE on accept) must not crash the worker; accepting simply fails
  server.on('error', () => {});
  const bound = server.address();
  const address: Address =
    spec.kind === 'unix'
      ? { kind: 'unix', path: spec.path }
      : { kind: 'tcp', host: spec.host, port: typeof bound === 'object' && bound !== null ? bound.port : 0 };
  return {
    address,
    close: () =>
      new Promise<void>((resolve) => {
        // the listening handle closes at once; the callback would wait for accepted sockets
        server.close();
        setImmediate(resolve);
      }),
  };
}

/**
 * Dial a listener; `onread` reads into memory the caller chooses (StreamReader). Rejects with
 * MRV_WIRE_CONNECT (the system error as cause, its code kept in `cause.code`).
 */
export function dial(address: Address, onread?: net.OnReadOpts): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket =
      address.kind === 'unix'
        ? net.connect(onread ? { path: address.path, onread } : { path: address.path })
        : net.connect(onread ? { host: address.host, port: address.port, onread } : { host: address.host, port: address.port });
    const onError = (err: NodeJS.ErrnoException) => {
      socket.destroy();
      reject(new MarveloError('MRV_WIRE_CONNECT', `cannot connect to ${formatAddress(address)}: ${err.message}`, {
        cause: err,
        hint: 'the producer worker is not listening there (not started yet, exited, or a firewall blocks the port)',
      }));
    };
    socket.once('error', onError);
    socket.once('connect', () => {
      socket.removeListener('error', onError);
      if (address.kind === 'tcp') socket.setNoDelay(true);
      resolve(socket);
    });
  });
}

/** The errno code of a dial failure (MarveloError with a system error cause), if any. */
export function dialErrorCode(err: unknown): string | undefined {
  const cause = err instanceof Error ? (err.cause as NodeJS.ErrnoException | undefined) : undefined;
  return typeof cause?.code === 'string' ? cause.code : undefined;
}

async function removeStaleSocket(path: string): Promise<void> {
  let isSocket: boolean;
  try {
    isSocket = (await lstat(path)).isSocket();
  } catch {
    return; // nothing there
  }
  if (!isSocket) {
    throw new MarveloError('MRV_WIRE_CONNECT', `cannot listen on unix:${path}: the path exists and is not a socket`, {
      hint: 'choose another run directory or remove the file',
    });
  }
  const live = await new Promise<boolean>((resolve) => {
    const probe = net.connect({ path });
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
  if (live) {
    throw new MarveloError('MRV_WIRE_CONNECT', `cannot listen on unix:${path}: another process is listening there`, {
      hint: 'another worker of a run with the same directory is still running',
    });
  }
  await unlink(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw err;
  });
}

function listenHint(err: NodeJS.ErrnoException, spec: ListenSpec): string {
  if (err.code === 'EADDRINUSE') return 'the port is taken; use port 0 to let the system choose';
  if (err.code === 'EADDRNOTAVAIL') return `'${spec.kind === 'tcp' ? spec.host : ''}' is not an address of this machine`;
  if (err.code === 'EACCES') return 'no permission to bind there';
  if (spec.kind === 'unix' && spec.path.length > 100) return 'Unix socket paths are limited to about 104 bytes; use a shorter run directory';
  return 'check the node address and the run directory';
}
