import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { totalmem, userInfo } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { NodeSpec } from '../../src/config/types.js';
import { probeNode, runtimeOf } from '../../src/launch/ssh/probe.js';
import { freePort, knownHostsLine, sshdSkipReason, type LocalSshd, useLocalSshd, localNodeSpec } from '../helpers/local-sshd.js';
import { tempDir } from '../helpers/temp-dir.js';

describe('probe - how a node gets its Node.js', () => {
  it('its own when >= 20; shipped when OS and arch match the client; else unusable', () => {
    const here = { platform: 'linux', arch: 'x64' };
    expect(runtimeOf({ nodeVersion: 'v20.19.2', platform: 'linux', arch: 'arm64' }, here)).toEqual({ kind: 'own', version: 'v20.19.2' });
    expect(runtimeOf({ nodeVersion: 'v18.20.0', platform: 'linux', arch: 'x64' }, here)).toEqual({ kind: 'ship', found: 'v18.20.0' });
    expect(runtimeOf({ nodeVersion: undefined, platform: 'linux', arch: 'x64' }, here)).toEqual({ kind: 'ship', found: undefined });
    expect(runtimeOf({ nodeVersion: undefined, platform: 'linux', arch: 'arm64' }, here)).toEqual({ kind: 'unusable', found: undefined });
    expect(runtimeOf({ nodeVersion: 'v16.0.0', platform: 'darwin', arch: 'x64' }, here)).toEqual({ kind: 'unusable', found: 'v16.0.0' });
  });
});

const skip = sshdSkipReason();
if (skip) console.log(`skipping the SSH probe tests: ${skip}`);

describe.skipIf(skip)('probe - a real sshd on 127.0.0.1', () => {
  const local = useLocalSshd();

  function node(over: Partial<NodeSpec> = {}): NodeSpec {
    const knownHosts = join(tempDir(), 'known_hosts');
    writeFileSync(knownHosts, knownHostsLine(`[${local().host}]:${local().port}`, local().hostKeyPub));
    return localNodeSpec(local(), { knownHosts, nodeBinary: process.execPath, ...over });
  }


  it('reports OS/arch, Node, cores, memory, free disk, cache size, home and round trip', async () => {
    const root = join(tempDir(), 'root');
    mkdirSync(join(root, 'cache', 'abc'), { recursive: true });
    writeFileSync(join(root, 'cache', 'abc', 'blob'), Buffer.alloc(200 * 1024, 1));
    const p = await probeNode(node({ root }));
    expect(p).toMatchObject({ node: 'n1', reachable: true, auth: 'ok', hostKey: 'known', usable: true, error: undefined });
    const f = p.facts!;
    expect(f.platform).toBe(process.platform);
    expect(f.arch).toBe(process.arch);
    expect(f.runtime).toEqual({ kind: 'own', version: process.version });
    expect(f.cores).toBe(Number(execFileSync('nproc', { encoding: 'utf8' }).trim()));
    expect(f.memoryBytes).toBe(totalmem());
    expect(f.diskFreeBytes).toBeGreaterThan(0);
    expect(f.cacheBytes).toBeGreaterThanOrEqual(200 * 1024);
    expect(f.home).toBe(userInfo().homedir);
    expect(f.root).toBe(root);
    expect(f.rttMs).toBeGreaterThan(0);
  });

  it('expands ~/ in root, takes a root that does not exist yet (cache 0), and never lets the shell read a value', async () => {
    const tag = `marvelo-probe-${process.pid}-${Date.now()}`;
    const marker = join(tempDir(), 'pwned');
    const root = `~/${tag} it's $(touch ${marker})`;
    const p = await probeNode(node({ root }));
    expect(p.error).toBeUndefined();
    expect(p.facts!.root).toBe(`${userInfo().homedir}/${tag} it's $(touch ${marker})`);
    expect(p.facts!.cacheBytes).toBe(0);
    expect(p.facts!.diskFreeBytes).toBeGreaterThan(0);
    expect(existsSync(marker)).toBe(false);
  });

  it('no Node at node_binary on a node like this client: "will ship", still usable', async () => {
    const p = await probeNode(node({ nodeBinary: '/nonexistent/node' }));
    expect(p.usable).toBe(true);
    expect(p.facts!.runtime).toEqual({ kind: 'ship', found: undefined });
  });

  it('a node that is down: not reachable, not usable, the coded error kept', async () => {
    const p = await probeNode(node({ port: await freePort() }));
    expect(p).toMatchObject({ reachable: false, auth: 'not tried', hostKey: 'not checked', usable: false, facts: undefined });
    expect(p.error!.code).toBe('MRV_SSH_UNREACHABLE');
  });
});
