/**
 * The SSH test-bed (scripts/testbed.sh) as the tests see it: real sshd nodes in network namespaces,
 * brought up once by the vitest global setup of the `ssh` project (test/setup/ssh-testbed.ts).
 * Namespaces share the file system and the process table, so a test reads a node's folders and
 * processes directly on this machine.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inject, it } from 'vitest';
import type { NodeSpec } from '../../src/config/types.js';
import { processesOfUserWith } from './process-table.js';

export interface TestbedNode {
  name: string;
  host: string;
  port: number;
  /** The network namespace it runs in (kill a node: kill -9 `ip netns pids <namespace>`). */
  namespace: string;
  /** The host side of its link (cut the link: `ip link set <hostLink> down`). */
  hostLink: string;
  /** Its own remote root folder (the nodes share one file system). */
  root: string;
}

/** The facts of testbed.json, written by `scripts/testbed.sh up`. */
export interface Testbed {
  /** The state folder. */
  dir: string;
  /** The SSH user on every node (not root: root sessions ignore channel signals). */
  user: string;
  uid: number;
  /** The client's private key, authorized on every node. */
  identity: string;
  /** Every node's host key. */
  knownHosts: string;
  /** The nodes as the project's cluster file (`nodes:` list). */
  clusterFile: string;
  bridge: string;
  /** An address with no sshd: connections to it are refused. */
  downHost: string;
  downNamespace: string;
  nodes: TestbedNode[];
}

/** What the global setup hands to the test files. */
export type TestbedStatus = { up: true; dir: string } | { up: false; reason: string };

declare module 'vitest' {
  export interface ProvidedContext {
    testbed: TestbedStatus;
  }
}

let cached: { bed: Testbed | undefined; reason: string | undefined } | undefined;

function load(): { bed: Testbed | undefined; reason: string | undefined } {
  const status = inject('testbed');
  if (status === undefined) {
    return { bed: undefined, reason: 'the SSH test-bed is brought up only for the files under test/ssh/ (vitest project "ssh")' };
  }
  if (!status.up) return { bed: undefined, reason: status.reason };
  const file = join(status.dir, 'testbed.json');
  if (!existsSync(file)) return { bed: undefined, reason: `the SSH test-bed is gone: ${file} is missing` };
  return { bed: JSON.parse(readFileSync(file, 'utf8')) as Testbed, reason: undefined };
}

/** The test-bed, or undefined when this machine could not build it (see testbedSkipReason). */
export function testbed(): Testbed | undefined {
  cached ??= load();
  return cached.bed;
}

/** One line saying why the test-bed is not available, or undefined when it is up. */
export function testbedSkipReason(): string | undefined {
  cached ??= load();
  return cached.reason;
}

/**
 * Call once at the top of a file that uses the test-bed: when it is not available, says why in one line
 * (a warning, and a skipped test named after the reason), so a skip is never silent.
 * Then `describe.skipIf(!testbed())(...)`.
 */
export function announceTestbedSkip(): void {
  const reason = testbedSkipReason();
  if (reason === undefined) return;
  console.warn(`skipped: ${reason}`);
  it.skip(`needs the SSH test-bed: ${reason}`, () => {});
}

/** A node of the test-bed as the runtime's NodeSpec (for connectNode and the launchers). */
export function nodeSpec(bed: Testbed, node: TestbedNode): NodeSpec {
  return {
    name: node.name,
    host: node.host,
    port: node.port,
    user: bed.user,
    identity: bed.identity,
    knownHosts: bed.knownHosts,
    groups: ['ALL'],
    capacity: {},
    root: node.root,
    nodeBinary: 'node',
    dataHost: node.host,
    where: { file: bed.clusterFile, line: 1, col: 1 },
  };
}

/** PIDs of live processes of the test user whose command line contains the run id, on any node. */
export function processesOfRun(runId: string): number[] {
  const bed = testbed();
  if (!bed) throw new Error('processesOfRun needs the SSH test-bed');
  return processesOfUserWith(bed.uid, runId);
}

/** The paths `<root>/runs/*` (one folder per run on that node), sorted; [] when there is none. */
export function runFolders(root: string): string[] {
  const runs = join(root, 'runs');
  return existsSync(runs) ? readdirSync(runs).sort().map((name) => join(runs, name)) : [];
}
