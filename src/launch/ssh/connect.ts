import { readFileSync } from 'node:fs';
import { Client } from 'ssh2';
import type { NodeSpec } from '../../config/types.js';

export interface ConnectOptions {
  /** Trust and record host keys not yet in known_hosts (OpenSSH's accept-new); never changed ones. */
  acceptNewHosts?: boolean;
  /** ms until a connection that is not ready is given up (MRV_SSH_TIMEOUT). */
  readyTimeoutMs?: number;
}

/**
 * An authenticated SSH connection to a node, its host key verified against the node's known_hosts.
 * Rejects with MRV_SSH_HOSTKEY, MRV_SSH_AUTH, MRV_SSH_UNREACHABLE or MRV_SSH_TIMEOUT, naming the node.
 * The connection sends keepalives, so a cut link is seen within a few seconds.
 *
 * INTERIM: no host key check yet (being written).
 */
export function connectNode(node: NodeSpec, opts: ConnectOptions = {}): Promise<Client> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    client.once('ready', () => resolve(client));
    client.on('error', reject);
    client.connect({
      host: node.host,
      port: node.port,
      username: node.user,
      privateKey: node.identity ? readFileSync(node.identity) : undefined,
      agent: process.env.SSH_AUTH_SOCK,
      readyTimeout: opts.readyTimeoutMs ?? 10_000,
      keepaliveInterval: 500,
      keepaliveCountMax: 3,
    });
  });
}
