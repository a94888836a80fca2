import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { NodeSpec } from '../../src/config/types.js';
import { MarveloError } from '../../src/errors.js';
import { connectNode } from '../../src/launch/ssh/connect.js';
import { runRemote } from '../../src/launch/ssh/remote-command.js';
import { freePort, keygenFingerprint, knownHostsLine, makeKey, sshdSkipReason, type LocalSshd, useLocalSshd, localNodeSpec } from '../helpers/local-sshd.js';
import { tempDir } from '../helpers/temp-dir.js';

const skip = sshdSkipReason();
if (skip) console.log(`skipping the SSH connection tests: ${skip}`);

describe.skipIf(skip)('ssh - connecting to a node (a real sshd on 127.0.0.1)', () => {
  const local = useLocalSshd();

  const node = (over: Partial<NodeSpec> = {}): NodeSpec => localNodeSpec(local(), over);
  const name = () => `[${local().host}]:${local().port}`;

  async function refusal(n: NodeSpec, opts: Parameters<typeof connectNode>[1] = {}): Promise<MarveloError> {
    const e: unknown = await connectNode(n, opts).then(
      (c) => {
        c.end();
        throw new Error('connected');
      },
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(MarveloError);
    return e as MarveloError;
  }

  it('connects to a known host and runs a command', async () => {
    const n = node();
    writeFileSync(n.knownHosts, '# a comment\n\n' + knownHostsLine(name(), local().hostKeyPub));
    const client = await connectNode(n);
    try {
      const r = await runRemote(client, ['printf', '%s|', 'a b', "it's", '$HOME', '`x`']);
      expect(r).toMatchObject({ code: 0, stdout: "a b|it's|$HOME|`x`|" });
    } finally {
      client.end();
    }
  });

  it('refuses an unknown host key, showing the fingerprint ssh-keygen prints and how to trust it', async () => {
    const n = node();
    const e = await refusal(n);
    expect(e.code).toBe('MRV_SSH_HOSTKEY');
    expect(e.message).toContain(`host key of node 'n1' (${local().host}:${local().port}) is not known`);
    expect(e.message).toContain(keygenFingerprint(local().hostKeyPub));
    expect(e.hint).toContain(`ssh-keyscan -p ${local().port} ${local().host} >> ${n.knownHosts}`);
    expect(e.hint).toContain('--accept-new-hosts');
    expect(e.where).toEqual(n.where);
  });

  it('refuses a changed host key, even with acceptNewHosts, and leaves known_hosts alone', async () => {
    const n = node();
    const other = makeKey(join(tempDir(), 'other'));
    const before = knownHostsLine(name(), `${other}.pub`);
    writeFileSync(n.knownHosts, before);
    const e = await refusal(n, { acceptNewHosts: true });
    expect(e.code).toBe('MRV_SSH_HOSTKEY');
    expect(e.message).toContain('has CHANGED');
    expect(e.message).toContain(keygenFingerprint(local().hostKeyPub));
    expect(e.message).toContain(`${n.knownHosts}:1 records ${keygenFingerprint(`${other}.pub`)}`);
    expect(readFileSync(n.knownHosts, 'utf8')).toBe(before);
  });

  it('accept-new records an unknown key (creating file and folder) and the next connect needs no flag', async () => {
    const n = node({ knownHosts: join(tempDir(), 'made', 'known_hosts') });
    const seen: string[] = [];
    (await connectNode(n, { acceptNewHosts: true, onHostKey: (s) => seen.push(s) })).end();
    expect(seen).toEqual(['recorded']);
    expect(readFileSync(n.knownHosts, 'utf8')).toBe(knownHostsLine(name(), local().hostKeyPub));
    expect(statSync(n.knownHosts).mode & 0o777).toBe(0o600);
    expect(statSync(join(n.knownHosts, '..')).mode & 0o777).toBe(0o700);
    (await connectNode(n, { onHostKey: (s) => seen.push(s) })).end();
    expect(seen).toEqual(['recorded', 'known']);
  });

  it('finds a hashed entry (ssh-keygen -H)', async () => {
    const n = node();
    writeFileSync(n.knownHosts, knownHostsLine(name(), local().hostKeyPub));
    execFileSync('ssh-keygen', ['-H', '-f', n.knownHosts], { stdio: 'ignore' });
    expect(readFileSync(n.knownHosts, 'utf8')).toMatch(/^\|1\|/);
    (await connectNode(n)).end();
  });

  it('matches [host]:port only for that port, and a host in a comma list', async () => {
    const n = node();
    // The same host on port 22 is another server: its key must not count.
    writeFileSync(n.knownHosts, knownHostsLine(local().host, local().hostKeyPub));
    expect((await refusal(n)).code).toBe('MRV_SSH_HOSTKEY');
    writeFileSync(n.knownHosts, knownHostsLine(`example.org,${name()}`, local().hostKeyPub));
    (await connectNode(n)).end();
  });

  it('asks for the key type the host is known with (known_hosts has only its ecdsa key)', async () => {
    const n = node();
    writeFileSync(n.knownHosts, knownHostsLine(name(), local().hostKeyPubEcdsa));
    const seen: string[] = [];
    (await connectNode(n, { onHostKey: (s) => seen.push(s) })).end();
    expect(seen).toEqual(['known']);
  });

  it('refuses a key marked @revoked; ignores @cert-authority lines', async () => {
    const n = node();
    writeFileSync(n.knownHosts, `@cert-authority * ${knownHostsLine('', local().hostKeyPub).trim()}\n@revoked ${knownHostsLine('*', local().hostKeyPub)}` + knownHostsLine(name(), local().hostKeyPub));
    const e = await refusal(n);
    expect(e.code).toBe('MRV_SSH_HOSTKEY');
    expect(e.message).toContain('is revoked');
  });

  it('a key the node does not accept -> MRV_SSH_AUTH naming node, user and key', async () => {
    const wrong = makeKey(join(tempDir(), 'wrong'));
    const n = node({ identity: wrong });
    writeFileSync(n.knownHosts, knownHostsLine(name(), local().hostKeyPub));
    const e = await refusal(n);
    expect(e.code).toBe('MRV_SSH_AUTH');
    expect(e.message).toContain(`node 'n1' (${local().host}:${local().port}) refused the login as ${local().user}`);
    expect(e.message).toContain(wrong);
    expect(e.hint).toContain('authorized_keys');
  });

  it('a key with a passphrase -> MRV_SSH_AUTH without prompting', async () => {
    const locked = makeKey(join(tempDir(), 'locked'), 'ed25519', 'secret words');
    const n = node({ identity: locked });
    writeFileSync(n.knownHosts, knownHostsLine(name(), local().hostKeyPub));
    const e = await refusal(n);
    expect(e.code).toBe('MRV_SSH_AUTH');
    expect(e.message).toContain('protected by a passphrase');
    expect(e.hint).toContain('ssh-add');
  });

  it('without identity: ssh-agent first, then the default key files; one with a passphrase is skipped', async () => {
    const home = tempDir();
    mkdirSync(join(home, '.ssh'));
    makeKey(join(home, '.ssh', 'id_ed25519'), 'ed25519', 'secret words');
    const agentDir = tempDir();
    const agent = spawn('ssh-agent', ['-D', '-a', join(agentDir, 'agent.sock')], { stdio: ['ignore', 'pipe', 'ignore'] });
    onTestFinished(() => {
      agent.kill();
    });
    await new Promise((resolve) => agent.stdout!.once('data', resolve)); // it prints its environment when it listens
    const saved = { HOME: process.env.HOME, SSH_AUTH_SOCK: process.env.SSH_AUTH_SOCK };
    onTestFinished(() => {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    });
    process.env.HOME = home;
    const n = node({ identity: undefined });
    writeFileSync(n.knownHosts, knownHostsLine(name(), local().hostKeyPub));

    // The agent holds no key yet and the only key file has a passphrase: refused, saying what was tried.
    process.env.SSH_AUTH_SOCK = join(agentDir, 'agent.sock');
    const e = await refusal(n);
    expect(e.code).toBe('MRV_SSH_AUTH');
    expect(e.message).toContain(`ssh-agent (SSH_AUTH_SOCK=${join(agentDir, 'agent.sock')})`);
    expect(e.message).toContain(`skipped ${join(home, '.ssh', 'id_ed25519')} (has a passphrase)`);

    execFileSync('ssh-add', ['-q', local().clientKey], { env: { ...process.env }, stdio: 'ignore' });
    (await connectNode(n)).end();

    // No agent: the default key file, once it is one without a passphrase.
    process.env.SSH_AUTH_SOCK = '';
    expect((await refusal(n)).message).toContain('no default key file is usable');
    copyFileSync(local().clientKey, join(home, '.ssh', 'id_ecdsa'));
    (await connectNode(n)).end();
  });

  it('nothing listening -> MRV_SSH_UNREACHABLE', async () => {
    const port = await freePort();
    const e = await refusal(node({ port }));
    expect(e.code).toBe('MRV_SSH_UNREACHABLE');
    expect(e.message).toContain(`node 'n1' (${local().host}:${port}) is unreachable`);
    expect(e.message).toContain('ECONNREFUSED');
  });

  it('a server that accepts and never speaks -> MRV_SSH_TIMEOUT', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((s) => sockets.push(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const { port } = silent.address() as { port: number };
    try {
      const e = await refusal(node({ port }), { readyTimeoutMs: 300 });
      expect(e.code).toBe('MRV_SSH_TIMEOUT');
      expect(e.message).toContain(`node 'n1' (${local().host}:${port}) did not complete the SSH handshake within 300 ms`);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((r) => silent.close(r));
    }
  });
});
