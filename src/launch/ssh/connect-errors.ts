/** ssh2's connection errors as coded errors that name the node. */
import { MarveloError } from '../../errors.js';
import type { NodeSpec } from '../../config/types.js';
import { nodeLabel } from './host-key.js';

/** ssh2 errors carry `level` (where it failed) and, from the socket, Node's `code`. */
interface Ssh2Error extends Error {
  level?: string;
  code?: string;
}

const UNREACHABLE: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused (no SSH server listens on that port)',
  EHOSTUNREACH: 'there is no route to the host',
  ENETUNREACH: 'the network is unreachable',
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'the host name cannot be resolved now (DNS)',
  ETIMEDOUT: 'the TCP connection timed out',
  ECONNRESET: 'the connection was reset',
  EPIPE: 'the connection was closed',
  EADDRNOTAVAIL: 'the address is not available',
};

export function connectError(node: NodeSpec, err: Ssh2Error, readyTimeoutMs: number): MarveloError {
  const who = nodeLabel(node);
  if (err.level === 'client-timeout') {
    return new MarveloError('MRV_SSH_TIMEOUT', `${who} did not complete the SSH handshake within ${readyTimeoutMs} ms`, {
      where: node.where,
      hint: 'check that the host is up, the network path to it works (a cut link shows as this), and that the port is an SSH server',
      cause: err,
    });
  }
  const reason = err.code !== undefined ? UNREACHABLE[err.code] : undefined;
  if (reason !== undefined) {
    return new MarveloError('MRV_SSH_UNREACHABLE', `${who} is unreachable: ${reason} (${err.code})`, {
      where: node.where,
      hint: "check the node's host and port, and that sshd runs there",
      cause: err,
    });
  }
  return new MarveloError('MRV_SSH_CONNECTION', `the SSH connection to ${who} failed: ${err.message}`, {
    where: node.where,
    hint: "the node's sshd log says why it ended the connection",
    cause: err,
  });
}

export function closedDuringHandshake(node: NodeSpec): MarveloError {
  return new MarveloError('MRV_SSH_CONNECTION', `${nodeLabel(node)} closed the connection during the SSH handshake`, {
    where: node.where,
    hint: "the node's sshd log says why (e.g. MaxStartups, a DenyUsers rule, or not an SSH server)",
  });
}
