/**
 * The SSH test-bed's facts (testbed.json, written by `scripts/testbed.sh up`), without vitest: the
 * benchmarks read them too. Tests use ./testbed.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NodeSpec } from '../../src/config/types.js';

/** The state folder scripts/testbed.sh uses. */
export const TESTBED_DIR = process.env.MARVELO_TESTBED_DIR ?? '/tmp/marvelo-testbed';

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

/** The test-bed whose state folder is `dir`, or undefined when it is not up there. */
export function readTestbed(dir: string = TESTBED_DIR): Testbed | undefined {
  const file = join(dir, 'testbed.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Testbed) : undefined;
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
