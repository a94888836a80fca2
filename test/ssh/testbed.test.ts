/**
 * The SSH test-bed itself: every node is a real sshd that verifies against known_hosts, logs the test
 * user in with the bed's key, reports its own hostname and takes SFTP uploads into its root; the down
 * node refuses connections. The other SSH tests build on these facts.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Client, type ClientChannel, type SFTPWrapper } from 'ssh2';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  announceTestbedSkip,
  processesOfRun,
  runFolders,
  testbed,
  type Testbed,
  type TestbedNode,
} from '../helpers/testbed.js';

announceTestbedSkip();
const bed = testbed();

/** The base64 host key that known_hosts records for `host`. */
function knownKey(bed: Testbed, host: string): string | undefined {
  const line = readFileSync(bed.knownHosts, 'utf8')
    .split('\n')
    .find((l) => l.split(' ')[0] === host);
  return line?.split(' ')[2];
}

function connect(bed: Testbed, host: string, port = 22): Promise<Client> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    client.once('ready', () => resolve(client));
    client.on('error', reject); // emitted twice on a failed handshake: reject is idempotent
    client.connect({
      host,
      port,
      username: bed.user,
      privateKey: readFileSync(bed.identity),
      readyTimeout: 10_000,
      hostVerifier: (key: Buffer) => key.toString('base64') === knownKey(bed, host),
    });
  });
}

function exec(client: Client, command: string): Promise<{ stdout: string; code: number | undefined }> {
  return new Promise((resolve, reject) => {
    client.exec(command, (err: Error | undefined, stream: ClientChannel) => {
      if (err) return reject(err);
      let stdout = '';
      let code: number | undefined;
      stream.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      stream.stderr.resume();
      stream.on('exit', (c: number | null) => (code = c ?? undefined));
      stream.on('close', () => resolve({ stdout, code }));
    });
  });
}

function sftp(client: Client): Promise<SFTPWrapper> {
  return new Promise((resolve, reject) => client.sftp((err, s) => (err ? reject(err) : resolve(s))));
}

function writeRemote(s: SFTPWrapper, path: string, text: string): Promise<void> {
  return new Promise((resolve, reject) => s.writeFile(path, text, (err) => (err ? reject(err) : resolve())));
}

describe.skipIf(!bed)('the SSH test-bed', () => {
  const clients: Client[] = [];
  afterAll(() => clients.forEach((c) => c.end()));

  async function open(node: TestbedNode): Promise<Client> {
    const client = await connect(bed!, node.host, node.port);
    clients.push(client);
    return client;
  }

  it('has nodes, each with its own root folder, listed alike in cluster.yaml', () => {
    expect(bed!.nodes.length).toBeGreaterThanOrEqual(3);
    expect(new Set(bed!.nodes.map((n) => n.root)).size).toBe(bed!.nodes.length);
    const cluster = parse(readFileSync(bed!.clusterFile, 'utf8')) as { nodes: Record<string, unknown>[] };
    expect(cluster.nodes).toEqual(
      bed!.nodes.map((n) => ({
        name: n.name,
        host: n.host,
        user: bed!.user,
        identity: './id_ed25519',
        known_hosts: './known_hosts',
        root: n.root,
        groups: ['ALL'],
      })),
    );
  });

  it('every node verifies against known_hosts, logs the test user in and reports its own hostname', async () => {
    for (const node of bed!.nodes) {
      const client = await open(node);
      const { stdout, code } = await exec(client, 'hostname && id -un && node --version');
      expect(code).toBe(0);
      const [hostname, user, nodeVersion] = stdout.trim().split('\n');
      expect({ hostname, user }).toEqual({ hostname: node.name, user: bed!.user });
      expect(nodeVersion).toMatch(/^v\d+\./);
    }
  });

  it('SFTP writes into each node root, as the test user', async () => {
    for (const node of bed!.nodes) {
      const client = await open(node);
      const file = join(node.root, `sftp-${randomUUID()}.txt`);
      try {
        await writeRemote(await sftp(client), file, `written on ${node.name}`);
        // the namespaces share this machine's file system
        expect(readFileSync(file, 'utf8')).toBe(`written on ${node.name}`);
        expect(statSync(file).uid).toBe(bed!.uid);
      } finally {
        rmSync(file, { force: true });
      }
    }
  });

  it('a host key that known_hosts does not hold is refused', async () => {
    const [first, second] = bed!.nodes;
    // connect to the first node while expecting the second node's key
    const refused = new Promise<Error>((resolve) => {
      const client = new Client();
      client.on('error', resolve);
      client.on('ready', () => client.end());
      client.connect({
        host: first!.host,
        username: bed!.user,
        privateKey: readFileSync(bed!.identity),
        hostVerifier: (key: Buffer) => key.toString('base64') === knownKey(bed!, second!.host),
      });
    });
    expect((await refused).message).toMatch(/verification failed/i);
  });

  it('the down node refuses connections', async () => {
    await expect(connect(bed!, bed!.downHost)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('processesOfRun sees a remote process by its run id; runFolders lists <root>/runs/*', async () => {
    const node = bed!.nodes[0]!;
    const runId = `run-${randomUUID()}`;
    const client = await open(node);
    const finished = exec(
      client,
      `mkdir -p ${node.root}/runs/${runId} && exec node -e "setInterval(() => {}, 1000)" ${runId}`,
    );
    let pids: number[] = [];
    await expect.poll(() => (pids = processesOfRun(runId)).length, { timeout: 10_000, interval: 20 }).toBe(1);
    expect(runFolders(node.root)).toContain(join(node.root, 'runs', runId));
    process.kill(pids[0]!, 'SIGKILL');
    await finished;
    await expect.poll(() => processesOfRun(runId), { timeout: 10_000, interval: 20 }).toEqual([]);
    rmSync(join(node.root, 'runs', runId), { recursive: true, force: true });
    expect(runFolders(node.root)).not.toContain(join(node.root, 'runs', runId));
  });
});
