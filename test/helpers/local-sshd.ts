/**
 * A real OpenSSH server on 127.0.0.1 for the SSH connection tests: its own config, host key, authorized
 * key and port, in a temporary folder, run in the foreground as a child of the test (stopped by stop()).
 * It needs root (sshd drops privileges per session) and /usr/sbin/sshd; sshdSkipReason() says why not.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { NodeSpec } from '../../src/config/types.js';
import { tempDir } from './temp-dir.js';

const SSHD = '/usr/sbin/sshd';

export interface LocalSshd {
  host: string;
  port: number;
  user: string;
  dir: string;
  /** The server's host public key file (`ssh-ed25519 AAAA... comment`). */
  hostKeyPub: string;
  /** Its second host key, of another type (ecdsa-sha2-nistp256), which clients prefer less. */
  hostKeyPubEcdsa: string;
  /** A private key (no passphrase) the server accepts. */
  clientKey: string;
  stop(): Promise<void>;
}

/** Why these tests cannot run here, or undefined when they can. */
export function sshdSkipReason(): string | undefined {
  if (process.getuid?.() !== 0) return 'not root (a local sshd needs root)';
  if (!existsSync(SSHD)) return `no ${SSHD} (install openssh-server)`;
  return undefined;
}

export function makeKey(file: string, type = 'ed25519', passphrase = ''): string {
  execFileSync('ssh-keygen', ['-q', '-t', type, '-N', passphrase, '-C', 'marvelo-test', '-f', file]);
  return file;
}

/** A TCP port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function startLocalSshd(): Promise<LocalSshd> {
  const dir = mkdtempSync(join(tmpdir(), 'marvelo-sshd-'));
  mkdirSync('/run/sshd', { recursive: true });
  const hostKey = makeKey(join(dir, 'host_ed25519'));
  const hostKeyEcdsa = makeKey(join(dir, 'host_ecdsa'), 'ecdsa');
  const clientKey = makeKey(join(dir, 'client_ed25519'));
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(`${clientKey}.pub`));
  const port = await freePort();
  const conf = join(dir, 'sshd_config');
  writeFileSync(
    conf,
    [
      `ListenAddress 127.0.0.1:${port}`,
      `HostKey ${hostKey}`,
      `HostKey ${hostKeyEcdsa}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      'StrictModes no',
      'UsePAM no',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin prohibit-password',
      'Subsystem sftp internal-sftp',
      '',
    ].join('\n'),
  );
  // -D: stay in the foreground as our child; -e: log to stderr, where "Server listening" says it is ready.
  const proc = spawn(SSHD, ['-D', '-e', '-f', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  await listening(proc);
  return {
    host: '127.0.0.1',
    port,
    user: userInfo().username,
    dir,
    hostKeyPub: `${hostKey}.pub`,
    hostKeyPubEcdsa: `${hostKeyEcdsa}.pub`,
    clientKey,
    stop: async () => {
      if (proc.exitCode === null && proc.signalCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function listening(proc: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let log = '';
    const onData = (d: Buffer) => {
      log += d.toString();
      if (log.includes('Server listening')) {
        proc.stderr!.off('data', onData);
        proc.stderr!.resume();
        resolve();
      }
    };
    proc.stderr!.on('data', onData);
    proc.once('exit', (code) => reject(new Error(`sshd exited (${code}) before listening:\n${log}`)));
  });
}

/** `ssh-keygen -lf FILE`'s fingerprint field (SHA256:...). */
export function keygenFingerprint(pubFile: string): string {
  return execFileSync('ssh-keygen', ['-lf', pubFile], { encoding: 'utf8' }).split(' ')[1]!;
}

/** A known_hosts line for the server: `name keytype base64`. */
export function knownHostsLine(name: string, pubFile: string): string {
  const [type, key] = readFileSync(pubFile, 'utf8').trim().split(' ');
  return `${name} ${type} ${key}\n`;
}

/** Starts a local sshd before the tests of the calling `describe` and stops it after them; returns a getter. */
export function useLocalSshd(): () => LocalSshd {
  let sshd: LocalSshd | undefined;
  beforeAll(async () => {
    sshd = await startLocalSshd();
  });
  afterAll(async () => {
    await sshd?.stop();
  });
  return () => sshd!;
}

/** The local sshd as a node of a network file, logged into with its client key. */
export function localNodeSpec(sshd: LocalSshd, over: Partial<NodeSpec> = {}): NodeSpec {
  return {
    name: 'n1',
    host: sshd.host,
    port: sshd.port,
    user: sshd.user,
    identity: sshd.clientKey,
    knownHosts: join(tempDir(), 'known_hosts'),
    groups: ['ALL'],
    capacity: {},
    root: '~/.marvelo',
    nodeBinary: 'node',
    dataHost: sshd.host,
    where: { file: '/nowhere/net.yaml', line: 3, col: 5 },
    ...over,
  };
}
