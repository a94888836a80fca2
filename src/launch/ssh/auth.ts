/**
 * The keys marvelo logs in to a node with: the node's identity file if it names one; else the keys of
 * ssh-agent (SSH_AUTH_SOCK) and then every default key file that exists, as OpenSSH tries them. Public
 * keys only: no password or keyboard-interactive login, never a prompt.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import ssh2, { type AnyAuthMethod } from 'ssh2'; // CommonJS: a default export only (see connect.ts)
import { MarveloError } from '../../errors.js';
import type { NodeSpec } from '../../config/types.js';
import { nodeLabel } from './host-key.js';

export const DEFAULT_KEY_FILES = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

export interface Credentials {
  methods: AnyAuthMethod[];
  /** What is tried, in order, for the error when all fail (`ssh-agent`, key file paths). */
  tried: string[];
  /** Default key files skipped, with why (a passphrase). */
  skipped: string[];
  /** Why no method can be offered (then `methods` is empty). */
  unusable: MarveloError | undefined;
}

const PASSPHRASE_HINT = 'marvelo never asks for a passphrase: load the key into ssh-agent (ssh-add KEY) and run with SSH_AUTH_SOCK set';

/**
 * The login methods to offer. When there is none (an unreadable identity, a passphrase, no key anywhere),
 * `unusable` says why: the connection still goes ahead, so the host is checked, and the login then fails
 * with that error.
 */
export function credentialsFor(node: NodeSpec, user: string, env: NodeJS.ProcessEnv = process.env): Credentials {
  const creds: Credentials = { methods: [], tried: [], skipped: [], unusable: undefined };
  if (node.identity !== undefined) {
    const key = readPrivateKey(node, node.identity);
    if (key.kind === 'ok') {
      creds.methods.push({ type: 'publickey', username: user, key: key.data });
      creds.tried.push(node.identity);
    } else if (key.kind === 'encrypted') {
      creds.unusable = new MarveloError('MRV_SSH_AUTH', `the identity ${node.identity} of ${nodeLabel(node)} is protected by a passphrase`, {
        where: node.where,
        hint: `${PASSPHRASE_HINT}, and remove identity from the node so the agent's keys are used`,
      });
    } else {
      creds.unusable = key.error;
    }
    return creds;
  }
  const agent = env.SSH_AUTH_SOCK;
  if (agent) {
    creds.methods.push({ type: 'agent', username: user, agent });
    creds.tried.push(`ssh-agent (SSH_AUTH_SOCK=${agent})`);
  }
  for (const name of DEFAULT_KEY_FILES) {
    const file = join(homedir(), '.ssh', name);
    if (!existsSync(file)) continue;
    const key = readPrivateKey(node, file);
    if (key.kind === 'ok') {
      creds.methods.push({ type: 'publickey', username: user, key: key.data });
      creds.tried.push(file);
    } else {
      creds.skipped.push(`${file} (${key.kind === 'encrypted' ? 'has a passphrase' : 'not a private key'})`);
    }
  }
  if (creds.methods.length === 0) {
    const looked = DEFAULT_KEY_FILES.map((n) => join(homedir(), '.ssh', n)).join(', ');
    creds.unusable = new MarveloError(
      'MRV_SSH_AUTH',
      `no key to log in to ${nodeLabel(node)} as ${user}: the node names no identity, SSH_AUTH_SOCK is not set, and ` +
        (creds.skipped.length > 0 ? `no default key file is usable: ${creds.skipped.join(', ')}` : `none of ${looked} exists`),
      { where: node.where, hint: creds.skipped.length > 0 ? PASSPHRASE_HINT : "give the node an identity (a private key file), or run ssh-agent with the node's key" },
    );
  }
  return creds;
}

/** The error when the node refused every method tried. */
export function authFailed(node: NodeSpec, user: string, creds: Credentials): MarveloError {
  if (creds.unusable) return creds.unusable;
  const skipped = creds.skipped.length > 0 ? `; skipped ${creds.skipped.join(', ')}` : '';
  return new MarveloError('MRV_SSH_AUTH', `${nodeLabel(node)} refused the login as ${user} with every key tried: ${creds.tried.join(', ')}${skipped}`, {
    where: node.where,
    hint:
      `add the public key to ~${user}/.ssh/authorized_keys on the node (e.g. ssh-copy-id -p ${node.port} ${user}@${node.host}), ` +
      "or set the node's user or identity",
  });
}

type PrivateKey = { kind: 'ok'; data: Buffer } | { kind: 'encrypted' } | { kind: 'bad'; error: MarveloError };

function readPrivateKey(node: NodeSpec, file: string): PrivateKey {
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch (e) {
    const error = new MarveloError('MRV_SSH_AUTH', `cannot read the key file ${file} for ${nodeLabel(node)}: ${(e as Error).message}`, {
      where: node.where,
      hint: "check the path of the node's identity (relative paths are relative to the file that names them)",
    });
    return { kind: 'bad', error };
  }
  const parsed = ssh2.utils.parseKey(data);
  if (parsed instanceof Error) {
    if (/passphrase|encrypted/i.test(parsed.message)) return { kind: 'encrypted' };
    const error = new MarveloError('MRV_SSH_AUTH', `the key file ${file} for ${nodeLabel(node)} is not a private key marvelo can use: ${parsed.message}`, {
      where: node.where,
      hint: 'use an OpenSSH or PEM private key (ed25519, ecdsa or rsa), not the .pub file',
    });
    return { kind: 'bad', error };
  }
  return { kind: 'ok', data };
}
