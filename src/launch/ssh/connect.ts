import { userInfo } from 'node:os';
// ssh2 is CommonJS and stays outside the bundle: Node's ES module loader gives it as a default export only.
import ssh2, { type Client, type ConnectConfig } from 'ssh2';
import type { NodeSpec } from '../../config/types.js';
import { isMarveloError, type MarveloError } from '../../errors.js';
import { authFailed, credentialsFor } from './auth.js';
import { closedDuringHandshake, connectError } from './connect-errors.js';
import { checkHostKey, knownHostsOf, preferredHostKeyAlgorithms, type HostKeyStatus } from './host-key.js';
import { knownHostName, knownKeyTypes } from './known-hosts.js';

export interface ConnectOptions {
  /** Trust and record host keys not yet in known_hosts (OpenSSH's accept-new); never changed ones. */
  acceptNewHosts?: boolean;
  /** ms until a connection that is not ready is given up (MRV_SSH_TIMEOUT). */
  readyTimeoutMs?: number;
  /** Told what became of the host key, accepted or not (`marvelo nodes` shows it). */
  onHostKey?: (status: HostKeyStatus) => void;
}

const DEFAULT_READY_TIMEOUT_MS = 10_000;

/** The SSH user of a node: its own, else the client's user name (as ssh does). */
export function sshUser(node: NodeSpec): string {
  return node.user ?? userInfo().username;
}

/**
 * An authenticated SSH connection to a node, its host key verified against the node's known_hosts.
 * Rejects with MRV_SSH_HOSTKEY, MRV_SSH_AUTH, MRV_SSH_UNREACHABLE, MRV_SSH_TIMEOUT or MRV_SSH_CONNECTION,
 * naming the node. The connection sends keepalives, so a cut link is seen within a few seconds (an
 * `error` event, "Keepalive timeout"). Errors after `ready` are the caller's to handle: this function
 * keeps a listener, so an unhandled one does not crash the process.
 */
export function connectNode(node: NodeSpec, opts: ConnectOptions = {}): Promise<Client> {
  const user = sshUser(node);
  const readyTimeout = opts.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
  const creds = credentialsFor(node, user);
  let knownLines: ReturnType<typeof knownHostsOf>;
  try {
    knownLines = knownHostsOf(node);
  } catch (e) {
    return Promise.reject(e);
  }
  const preferred = preferredHostKeyAlgorithms(knownKeyTypes(knownLines, knownHostName(node.host, node.port)));

  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    let settled = false;
    let hostKeyRefusal: MarveloError | undefined;
    let hostKeyAccepted = false;
    // ssh2 emits `error` twice on a failed handshake, then `close`: the first one decides.
    const fail = (e: MarveloError) => {
      if (settled) return;
      settled = true;
      client.end();
      reject(e);
    };
    client.on('error', (err) => {
      if (settled) return;
      if (hostKeyRefusal) fail(hostKeyRefusal);
      else if ((err as { level?: string }).level === 'client-authentication') fail(authFailed(node, user, creds));
      else fail(connectError(node, err, readyTimeout));
    });
    client.on('close', () => fail(hostKeyRefusal ?? closedDuringHandshake(node)));
    client.once('ready', () => {
      if (settled) return;
      settled = true;
      resolve(client);
    });

    const config: ConnectConfig = {
      host: node.host,
      port: node.port,
      username: user,
      readyTimeout,
      keepaliveInterval: 500,
      keepaliveCountMax: 3,
      tryKeyboard: false,
      authHandler: creds.methods,
      hostVerifier: (key: Buffer): boolean => {
        if (hostKeyAccepted || hostKeyRefusal) return hostKeyAccepted; // a re-key presents the key again
        try {
          // Read again: a parallel connection may have recorded this host's key meanwhile.
          const check = checkHostKey(node, knownHostsOf(node), key, opts.acceptNewHosts === true);
          opts.onHostKey?.(check.status);
          hostKeyRefusal = check.error;
        } catch (e) {
          hostKeyRefusal = isMarveloError(e) ? e : connectError(node, e as Error, readyTimeout);
        }
        hostKeyAccepted = hostKeyRefusal === undefined;
        return hostKeyAccepted;
      },
    };
    if (preferred.length > 0) config.algorithms = { serverHostKey: { append: [], remove: preferred, prepend: preferred } }; // applied in this order
    try {
      client.connect(config);
    } catch (e) {
      fail(connectError(node, e as Error, readyTimeout));
    }
  });
}
