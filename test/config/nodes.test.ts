import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadNetwork, validateNetwork } from '../../src/config/load.js';
import { loadNodes } from '../../src/config/nodes.js';
import { MarveloErrors } from '../../src/errors.js';
import { tempDir } from '../helpers/temp-dir.js';
import { expectError, fixture, tempBundleDir, tempHome, useHome } from './helpers.js';

const bundleDir = tempBundleDir();
/** Two jobs on lines 1-3; `nodes:` starts on line 4. */
const JOBS = `jobs:\n  - { name: a, uses: ${fixture('jobs', 'count.ts')}, outputs: [p1] }\n  - { name: b, uses: ${fixture('jobs', 'sink.ts')}, inputs: [p1] }\n`;

function write(dir: string, name: string, text: string): string {
  const file = join(dir, name);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

async function nodesOf(file: string, nodesFile?: string) {
  return (await loadNetwork(file, { bundleDir, inspect: false, nodesFile })).network.nodes;
}

async function errorsOf(file: string, nodesFile?: string) {
  const result = await validateNetwork(file, { bundleDir, inspect: false, nodesFile });
  expect(result.ok).toBe(false);
  return result.errors;
}

describe('nodes - a cluster file', () => {
  it('is named by the network file, relative to it; its own paths are relative to the cluster file', async () => {
    useHome(tempHome());
    const dir = tempDir();
    const cluster = write(dir, 'cluster/nodes.yaml', 'nodes:\n  - { name: n1, host: h1, identity: keys/id, known_hosts: ./kh }\n  - { host: h2 }\n');
    write(dir, 'cluster/keys/id', 'a placeholder key\n');
    const net = write(dir, 'net/net.yaml', `${JOBS}nodes: ../cluster/nodes.yaml\n`);
    const nodes = await nodesOf(net);
    expect(nodes.map((n) => n.name)).toEqual(['n1', 'h2']);
    expect(nodes[0]).toMatchObject({ identity: join(dir, 'cluster/keys/id'), knownHosts: join(dir, 'cluster/kh'), where: { file: cluster, line: 2, col: 5 } });
    expect(nodes[1]!.where).toEqual({ file: cluster, line: 3, col: 5 });
  });

  it('given as nodesFile (--nodes) wins over the network file\'s list or cluster file, relative to the working directory', async () => {
    const dir = tempDir();
    const cluster = write(dir, 'cluster.yaml', 'nodes:\n  - { name: from-cluster, host: h9 }\n');
    const withList = write(dir, 'list.yaml', `${JOBS}nodes:\n  - { name: from-file, host: h1 }\n`);
    const withFile = write(dir, 'named.yaml', `${JOBS}nodes: ./missing-cluster.yaml\n`);
    expect((await nodesOf(withList)).map((n) => n.name)).toEqual(['from-file']);
    expect((await nodesOf(withList, relative(process.cwd(), cluster))).map((n) => n.name)).toEqual(['from-cluster']);
    expect((await nodesOf(withFile, cluster)).map((n) => n.name)).toEqual(['from-cluster']);
  });

  it('that is missing is an error at the network file\'s nodes: value', async () => {
    const dir = tempDir();
    const net = write(dir, 'net.yaml', `${JOBS}nodes: ./cluster.yaml\n`);
    const [e] = await errorsOf(net);
    expect(e).toMatchObject({ code: 'MRV_CONFIG_FILE', message: `cluster file ${join(dir, 'cluster.yaml')} does not exist`, where: { file: net, line: 4, col: 8 } });
  });

  it('names its own file, line and column in its errors: YAML, schema, quantities, duplicate names', async () => {
    const dir = tempDir();
    const net = write(dir, 'net.yaml', JOBS);
    const yaml = write(dir, 'yaml.yaml', 'nodes:\n  - { name: n1, host: [h1 }\n');
    expect((await errorsOf(net, yaml))[0]).toMatchObject({ code: 'MRV_CONFIG_YAML', where: { file: yaml, line: 2 } });

    const schema = write(dir, 'schema.yaml', 'nodes:\n  - { name: n1, hots: h1 }\njobs: []\n');
    const schemaErrors = await errorsOf(net, schema);
    expect(schemaErrors.map((e) => [e.where?.file, e.where?.line, e.where?.col, e.message])).toEqual([
      [schema, 2, 5, "node 'n1' is missing the required key 'host'"],
      [schema, 2, 17, "unknown key 'hots' in node 'n1'"],
      [schema, 3, 1, "unknown key 'jobs' in the cluster file"],
    ]);

    const values = write(dir, 'values.yaml', 'nodes:\n  - { name: n1, host: h1, capacity: { cpu: 0.5m, memory: 1MB } }\n  - { name: n1, host: h2 }\n');
    const errors = await errorsOf(net, values);
    expectError(errors, { code: 'MRV_CONFIG_SCHEMA', message: `node 'n1' capacity: cpu "0.5m" is refused: CPU cannot be finer than 1m`, line: 2, col: 44 });
    expectError(errors, { code: 'MRV_CONFIG_SCHEMA', message: `node 'n1' capacity: memory "1MB" is not a quantity`, line: 2, col: 58, hint: '512Mi' });
    expectError(errors, { code: 'MRV_CONFIG_GRAPH', message: "duplicate node name 'n1'", line: 3, col: 13 });
    expect(errors.every((e) => e.where?.file === values)).toBe(true);

    const empty = write(dir, 'empty.yaml', '# nothing yet\n');
    expect((await errorsOf(net, empty))[0]).toMatchObject({ message: 'the cluster file is empty', hint: expect.stringContaining('nodes:') });
  });
});

describe('nodes - every key and every default', () => {
  it('fills every NodeSpec field', async () => {
    const home = tempHome();
    useHome(home);
    const dir = tempDir();
    write(home, 'keys/pi', 'a placeholder key\n');
    const net = write(dir, 'net.yaml', `${JOBS}nodes:
  - { name: pi-1, host: 10.0.0.2, port: 2222, user: pi, identity: ~/keys/pi, known_hosts: ~/kh, groups: mics, capacity: { cpu: 1.5, memory: 512Mi }, root: /srv/m, node_binary: /opt/node, data_host: 192.168.0.2 }
  - { host: 10.0.0.3 }
`);
    const [full, plain] = await nodesOf(net);
    expect(full).toStrictEqual({
      name: 'pi-1',
      host: '10.0.0.2',
      port: 2222,
      user: 'pi',
      identity: join(home, 'keys/pi'),
      knownHosts: join(home, 'kh'),
      groups: ['mics'],
      capacity: { cpu: '1.5', cpuMillis: 1500, memory: '512Mi', memoryBytes: 512 * 2 ** 20 },
      root: '/srv/m',
      nodeBinary: '/opt/node',
      dataHost: '192.168.0.2',
      where: { file: net, line: 5, col: 5 },
    });
    expect(plain).toMatchObject({
      name: '10.0.0.3',
      host: '10.0.0.3',
      port: 22,
      identity: undefined,
      knownHosts: join(home, '.ssh', 'known_hosts'),
      groups: ['ALL'],
      capacity: {},
      root: '~/.marvelo',
      nodeBinary: 'node',
      dataHost: '10.0.0.3',
    });
    expect(typeof plain!.user).toBe('string');
  });

  it('refuses an identity file that does not exist, at its line and column', async () => {
    useHome(tempHome());
    const dir = tempDir();
    const net = write(dir, 'net.yaml', `${JOBS}nodes:\n  - { name: n1, host: h1, identity: keys/none }\n`);
    expectError(await errorsOf(net), { code: 'MRV_CONFIG_NODE', message: `node 'n1': identity keys/none does not exist (looked for ${join(dir, 'keys/none')})`, line: 5, col: 37 });
  });

  it('refuses a root that is neither absolute nor in the home folder', async () => {
    const dir = tempDir();
    const net = write(dir, 'net.yaml', `${JOBS}nodes:\n  - { host: h1, root: marvelo }\n`);
    expectError(await errorsOf(net), { code: 'MRV_CONFIG_SCHEMA', message: `"marvelo" is not a valid 'root'`, line: 5, col: 23 });
  });
});

describe('nodes - a host that is an alias in ~/.ssh/config', () => {
  const SSH_CONFIG = `Host pi
  HostName 10.1.2.3
  User alice
  Port 2202
  IdentityFile ~/.ssh/pi_key

Host gone
  IdentityFile ~/.ssh/no_such_key
  Port twenty-two

Host *
  User everyone
`;

  it('gets HostName, User, Port and IdentityFile from it; the network file wins where it says', async () => {
    const home = tempHome(SSH_CONFIG);
    useHome(home);
    write(home, '.ssh/pi_key', 'a placeholder key\n');
    const dir = tempDir();
    const net = write(dir, 'net.yaml', `${JOBS}nodes:\n  - { host: pi }\n  - { name: mine, host: pi, user: bob, port: 22, identity: ./k }\n  - { host: 10.9.9.9 }\n`);
    write(dir, 'k', 'a placeholder key\n');
    const [alias, overridden, other] = await nodesOf(net);
    expect(alias).toMatchObject({ name: 'pi', host: '10.1.2.3', user: 'alice', port: 2202, identity: join(home, '.ssh/pi_key'), dataHost: '10.1.2.3' });
    expect(overridden).toMatchObject({ name: 'mine', host: '10.1.2.3', user: 'bob', port: 22, identity: join(dir, 'k') });
    expect(other).toMatchObject({ host: '10.9.9.9', user: 'everyone', port: 22, identity: undefined });
  });

  it('skips an IdentityFile that does not exist (as OpenSSH does) and refuses a Port that is not a number', async () => {
    const home = tempHome(SSH_CONFIG);
    useHome(home);
    const dir = tempDir();
    const net = write(dir, 'net.yaml', `${JOBS}nodes:\n  - { host: gone }\n`);
    expectError(await errorsOf(net), {
      code: 'MRV_CONFIG_NODE',
      message: `${join(home, '.ssh', 'config')} gives host 'gone' the Port 'twenty-two', which is not a port number`,
      line: 5,
      col: 13,
    });
    const ok = write(dir, 'ok.yaml', `${JOBS}nodes:\n  - { host: gone, port: 2200 }\n`);
    expect((await nodesOf(ok))[0]).toMatchObject({ host: 'gone', port: 2200, identity: undefined });
  });
});

describe('job resources', () => {
  it('are parsed to millicores and bytes, and refused at their line and column when they are not quantities', async () => {
    const dir = tempDir();
    const good = write(dir, 'good.yaml', `jobs:\n  - { name: a, uses: ${fixture('jobs', 'count.ts')}, outputs: [p1], resources: { cpu: 250m, memory: 1G } }\n  - { name: b, uses: ${fixture('jobs', 'sink.ts')}, inputs: [p1] }\n`);
    const { network } = await loadNetwork(good, { bundleDir, inspect: false });
    expect(network.jobs.map((j) => j.resources)).toEqual([{ cpu: '250m', cpuMillis: 250, memory: '1G', memoryBytes: 1e9 }, {}]);

    const bad = write(dir, 'bad.yaml', `jobs:\n  - name: a\n    uses: ${fixture('jobs', 'count.ts')}\n    outputs: [p1]\n    resources: { cpu: -1, memory: 400m }\n  - { name: b, uses: ${fixture('jobs', 'sink.ts')}, inputs: [p1] }\n`);
    const errors = await errorsOf(bad);
    expectError(errors, { code: 'MRV_CONFIG_SCHEMA', message: `job 'a' resources: cpu "-1" is refused: a quantity cannot be negative`, line: 5, col: 23, job: 'a' });
    expectError(errors, { code: 'MRV_CONFIG_SCHEMA', message: `job 'a' resources: memory "400m" is refused: memory must be a whole number of bytes`, line: 5, col: 35 });
    const unknown = write(dir, 'unknown.yaml', `jobs:\n  - { name: a, uses: ./a.ts, resources: { gpu: 1 } }\n`);
    expectError(await errorsOf(unknown), { code: 'MRV_CONFIG_SCHEMA', message: "unknown key 'gpu' in 'resources'", line: 2, col: 43 });
  });
});

describe('loadNodes', () => {
  it('reads the nodes of a network file without loading its job modules, or of a cluster file', async () => {
    const dir = tempDir();
    const net = write(dir, 'net.yaml', 'jobs:\n  - { name: a, uses: ./not-written-yet.ts }\nnodes: ./cluster.yaml\n');
    const cluster = write(dir, 'cluster.yaml', 'nodes:\n  - { name: n1, host: h1 }\n');
    expect((await loadNodes(net)).map((n) => n.name)).toEqual(['n1']);
    expect((await loadNodes(cluster)).map((n) => n.name)).toEqual(['n1']);
    const other = write(dir, 'other.yaml', 'nodes:\n  - { name: n2, host: h2 }\n');
    expect((await loadNodes(net, { nodesFile: other })).map((n) => n.name)).toEqual(['n2']);
  });

  it('throws the located errors of either file', async () => {
    const dir = tempDir();
    const bad = write(dir, 'bad.yaml', 'nodes:\n  - { name: n1 }\n');
    const caught = await loadNodes(bad).catch((e: unknown) => e);
    expect(caught).toBeInstanceOf(MarveloErrors);
    expect((caught as MarveloErrors).errors.map((e) => [e.where?.line, e.message])).toEqual([[2, "node 'n1' is missing the required key 'host'"]]);
  });
});
