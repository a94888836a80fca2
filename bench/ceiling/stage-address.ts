import type net from 'node:net';

/**
 * Where a ceiling pipe meets: a Unix socket path, or `host:port` for TCP (stages in different network
 * namespaces). The runtime's rule: Unix sockets within a node, TCP between nodes, and TCP sockets
 * with Nagle off (src/wire/transport.ts).
 */
export type StageAddress = { kind: 'unix'; path: string } | { kind: 'tcp'; host: string; port: number };

const TCP_ADDRESS = /^([A-Za-z0-9.-]+):(\d{1,5})$/;

export function parseStageAddress(text: string): StageAddress {
  const m = TCP_ADDRESS.exec(text);
  if (m === null) return { kind: 'unix', path: text };
  return { kind: 'tcp', host: m[1]!, port: Number(m[2]) };
}

/** The options of net.connect / server.listen for an address. */
export function socketTarget(a: StageAddress): { path: string } | { host: string; port: number } {
  return a.kind === 'unix' ? { path: a.path } : { host: a.host, port: a.port };
}

/** The same socket options as the runtime's data connections. */
export function tuneSocket(a: StageAddress, socket: net.Socket): void {
  if (a.kind === 'tcp') socket.setNoDelay(true);
}
