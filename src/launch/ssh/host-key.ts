/** Verifying a node's host key against its known_hosts file, with OpenSSH's accept-new on request. */
import { createHash } from 'node:crypto';
import type { ServerHostKeyAlgorithm } from 'ssh2';
import { MarveloError } from '../../errors.js';
import type { NodeSpec } from '../../config/types.js';
import { judgeHostKey, keyTypeOfBlob, knownHostName, readKnownHosts, recordHostKey, type KnownHostLine } from './known-hosts.js';
import { shellQuote } from './remote-command.js';

/** What became of a node's host key: accepted ones are 'known' or 'recorded' (accept-new). */
export type HostKeyStatus = 'known' | 'recorded' | 'unknown' | 'changed' | 'revoked';

/** `SHA256:` and the unpadded base64 of the key blob's SHA-256, as `ssh-keygen -l` prints it. */
export function fingerprint(blob: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(blob).digest('base64').replace(/=+$/, '');
}

/** `node 'n1' (host:port)`: how every SSH error names its node. */
export function nodeLabel(node: NodeSpec): string {
  return `node '${node.name}' (${node.host}:${node.port})`;
}

/** The known_hosts lines, or MRV_SSH_HOSTKEY when the file exists but cannot be read. */
export function knownHostsOf(node: NodeSpec): KnownHostLine[] {
  try {
    return readKnownHosts(node.knownHosts);
  } catch (e) {
    throw new MarveloError('MRV_SSH_HOSTKEY', `cannot read the known_hosts file ${node.knownHosts} of ${nodeLabel(node)}: ${(e as Error).message}`, {
      where: node.where,
      hint: 'make the file readable, or name another with the node\'s known_hosts key',
    });
  }
}

export interface HostKeyCheck {
  status: HostKeyStatus;
  /** Set when the key is refused. */
  error?: MarveloError;
}

/** Judges the key a node presented; with acceptNew, records a key not yet known (never a changed one). */
export function checkHostKey(node: NodeSpec, lines: readonly KnownHostLine[], key: Buffer, acceptNew: boolean): HostKeyCheck {
  const name = knownHostName(node.host, node.port);
  const verdict = judgeHostKey(lines, name, key);
  const shown = `${keyTypeOfBlob(key)} key ${fingerprint(key)}`;
  const file = node.knownHosts;
  switch (verdict.status) {
    case 'known':
      return { status: 'known' };
    case 'unknown':
      if (acceptNew) return recordNewKey(node, name, key);
      return {
        status: 'unknown',
        error: new MarveloError(
          'MRV_SSH_HOSTKEY',
          `host key of ${nodeLabel(node)} is not known: it presents ${shown}, which ${file} does not list` +
            (verdict.otherTypes.length > 0 ? ` (it lists ${verdict.otherTypes.join(', ')} for ${name})` : ''),
          {
            where: node.where,
            hint:
              `check the fingerprint with the node's administrator (ssh-keygen -lf on its host key), then trust it: ` +
              `${keyscan(node)} >> ${shellQuote([file])}; or pass --accept-new-hosts to record keys not yet known`,
          },
        ),
      };
    case 'changed':
      return {
        status: 'changed',
        error: new MarveloError(
          'MRV_SSH_HOSTKEY',
          `host key of ${nodeLabel(node)} has CHANGED: it now presents ${shown}, but ${file}:${verdict.line} records ` +
            `${fingerprint(verdict.knownKey)} for ${name}. Someone may be intercepting the connection (a man-in-the-middle attack), ` +
            'or the node got a new host key',
          {
            where: node.where,
            hint:
              'a changed key is never accepted, not even with --accept-new-hosts; if the change is expected, remove the old key ' +
              `(${shellQuote(['ssh-keygen', '-R', name, '-f', file])}) and trust the new one after checking its fingerprint`,
          },
        ),
      };
    case 'revoked':
      return {
        status: 'revoked',
        error: new MarveloError('MRV_SSH_HOSTKEY', `host key of ${nodeLabel(node)} (${shown}) is revoked in ${file}:${verdict.line}`, {
          where: node.where,
          hint: 'the node must get a new host key; ask its administrator',
        }),
      };
  }
}

function recordNewKey(node: NodeSpec, name: string, key: Buffer): HostKeyCheck {
  try {
    recordHostKey(node.knownHosts, name, key);
    return { status: 'recorded' };
  } catch (e) {
    return {
      status: 'unknown',
      error: new MarveloError('MRV_SSH_HOSTKEY', `cannot record the host key of ${nodeLabel(node)} in ${node.knownHosts}: ${(e as Error).message}`, {
        where: node.where,
        hint: "make the file (and its folder) writable, or name another with the node's known_hosts key",
      }),
    };
  }
}

function keyscan(node: NodeSpec): string {
  return shellQuote(node.port === 22 ? ['ssh-keyscan', node.host] : ['ssh-keyscan', '-p', String(node.port), node.host]);
}

/** The host key algorithms to ask for: the ones this host is known with first (OpenSSH does the same). */
export function preferredHostKeyAlgorithms(knownTypes: readonly string[]): ServerHostKeyAlgorithm[] {
  const algorithms = knownTypes.flatMap((t) => (t === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [t]));
  return algorithms.filter((a): a is ServerHostKeyAlgorithm => SUPPORTED_HOST_KEY_ALGORITHMS.has(a));
}

const SUPPORTED_HOST_KEY_ALGORITHMS = new Set<string>([
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
]);
