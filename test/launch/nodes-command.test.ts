import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { NodeReport } from '../../src/cli/nodes-format.js';
import { runCli } from '../helpers/cli.js';
import { freePort, keygenFingerprint, knownHostsLine, sshdSkipReason, type LocalSshd, useLocalSshd } from '../helpers/local-sshd.js';
import { tempDir } from '../helpers/temp-dir.js';

const skip = sshdSkipReason();
if (skip) console.log(`skipping the marvelo nodes tests: ${skip}`);

describe.skipIf(skip)('marvelo nodes - against a real sshd on 127.0.0.1', () => {
  const local = useLocalSshd();

  /** A HOME whose ~/.ssh/id_ed25519 the server accepts; known_hosts there knows the server unless told not to. */
  function home(known = true): { env: Record<string, string>; knownHosts: string } {
    const dir = tempDir();
    mkdirSync(join(dir, '.ssh'), { mode: 0o700 });
    copyFileSync(local().clientKey, join(dir, '.ssh', 'id_ed25519'));
    const knownHosts = join(dir, '.ssh', 'known_hosts');
    if (known) writeFileSync(knownHosts, knownHostsLine(`[${local().host}]:${local().port}`, local().hostKeyPub));
    return { env: { HOME: dir, SSH_AUTH_SOCK: '' }, knownHosts };
  }

  function clusterFile(extra = ''): string {
    const file = join(tempDir(), 'cluster.yaml');
    writeFileSync(file, `nodes:\n  - name: n1\n    host: ${local().host}\n    port: ${local().port}\n    user: ${local().user}\n${extra}`);
    return file;
  }

  it('prints a row per node of a cluster file and exits 0 when all are usable', async () => {
    const { env } = home();
    const r = await runCli(['nodes', clusterFile()], { env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [header, row, verdict] = r.stdout.trimEnd().split('\n');
    expect(header!.split(/\s{2,}/)).toEqual(['node', 'host', 'reachable', 'auth', 'host key', 'os/arch', 'node.js', 'cores', 'memory', 'free disk', 'cache', 'rtt']);
    expect(row!.split(/\s{2,}/).slice(0, 7)).toEqual(['n1', `${local().user}@${local().host}:${local().port}`, 'yes', 'ok', 'known', `${process.platform}/${process.arch}`, expect.stringMatching(/^v\d+\.\d+\.\d+$|^will ship$/)]);
    expect(verdict).toBe('1 of 1 node(s) usable');
  });

  it('--json: an object per node; a node that is down makes the exit code 1, with its coded error', async () => {
    const { env } = home();
    const down = await freePort();
    const file = clusterFile(`  - name: down\n    host: ${local().host}\n    port: ${down}\n`);
    const r = await runCli(['nodes', file, '--json'], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    const reports = JSON.parse(r.stdout) as NodeReport[];
    expect(reports.map((n) => n.node)).toEqual(['n1', 'down']);
    expect(reports[0]).toMatchObject({ usable: true, reachable: true, auth: 'ok', hostKey: 'known', platform: process.platform, arch: process.arch, error: null });
    expect(reports[0]!.cores).toBeGreaterThan(0);
    expect(reports[0]!.memoryBytes).toBeGreaterThan(0);
    expect(reports[0]!.cacheBytes).toBe(0);
    expect(reports[1]).toMatchObject({ usable: false, reachable: false, auth: 'not tried', hostKey: 'not checked', cores: null });
    expect(reports[1]!.error).toMatchObject({ code: 'MRV_SSH_UNREACHABLE', message: `node 'down' (${local().host}:${down}) is unreachable: the connection was refused (no SSH server listens on that port) (ECONNREFUSED)` });
  });

  it('an unknown host key: refused with fingerprint and hint (no stack); --accept-new-hosts records it; then it is known', async () => {
    const { env, knownHosts } = home(false);
    const file = clusterFile();
    const refused = await runCli(['nodes', file], { env });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/^n1 .* yes +- +unknown /m);
    expect(refused.stderr).toContain(`error: ${file}:2:5: MRV_SSH_HOSTKEY host key of node 'n1' (${local().host}:${local().port}) is not known`);
    expect(refused.stderr).toContain(keygenFingerprint(local().hostKeyPub));
    expect(refused.stderr).toContain(`  hint: check the fingerprint`);
    expect(refused.stderr).not.toMatch(/\n\s+at /);

    const accepted = await runCli(['nodes', file, '--accept-new-hosts'], { env });
    expect(accepted.code).toBe(0);
    expect(accepted.stdout).toMatch(/^n1 .* yes +ok +recorded /m);
    expect(readFileSync(knownHosts, 'utf8')).toBe(knownHostsLine(`[${local().host}]:${local().port}`, local().hostKeyPub));

    const again = await runCli(['nodes', file], { env });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^n1 .* yes +ok +known /m);
  });

  it('reads the nodes of a network file without loading its job modules', async () => {
    const { env } = home();
    const file = join(tempDir(), 'net.yaml');
    writeFileSync(file, `jobs:\n  - name: a\n    uses: ./not-written-yet.ts\nnodes:\n  - name: n1\n    host: ${local().host}\n    port: ${local().port}\n`);
    const r = await runCli(['nodes', file, '--json'], { env });
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as NodeReport[]).map((n) => [n.node, n.user, n.usable])).toEqual([['n1', local().user, true]]);
  });

  it('a file that is not valid: its coded errors with line and column, exit 1', async () => {
    const file = join(tempDir(), 'cluster.yaml');
    writeFileSync(file, 'nodes:\n  - name: n1\n    port: 22\n');
    const r = await runCli(['nodes', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^error: ${file}:2:\\d+: MRV_CONFIG_SCHEMA .*host`, 'm'));
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
