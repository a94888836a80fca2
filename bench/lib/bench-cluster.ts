import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { BENCH_NODES, type Testbed, type TestbedNode } from './testbed.js';

/**
 * The bench's own view of the test-bed's first BENCH_NODES nodes: the same hosts and keys, but each
 * node with a remote root of its own (`<root>-bench`), so emptying the caches for a cold start never
 * touches what tests running on the same bed have shipped. The test-bed's `down` removes these too.
 */
export function benchNodes(bed: Testbed): TestbedNode[] {
  if (bed.nodes.length < BENCH_NODES) throw new Error(`the SSH test-bed has ${bed.nodes.length} node(s); the bench needs ${BENCH_NODES}`);
  return bed.nodes.slice(0, BENCH_NODES).map((n) => ({ ...n, root: `${n.root}-bench` }));
}

/** Writes a cluster file (`nodes:` list) for benchNodes into `dir`; returns its path. */
export function writeBenchCluster(bed: Testbed, dir: string): string {
  const nodes = benchNodes(bed).map((n) => ({
    name: n.name,
    host: n.host,
    port: n.port,
    user: bed.user,
    identity: bed.identity,
    known_hosts: bed.knownHosts,
    root: n.root,
    groups: ['ALL'],
  }));
  const file = join(dir, 'cluster.yaml');
  writeFileSync(file, stringify({ nodes }));
  return file;
}

/** Empties every bench node's cache (`<root>/cache`): the next run ships everything again. */
export function emptyCaches(bed: Testbed): void {
  for (const n of benchNodes(bed)) rmSync(join(n.root, 'cache'), { recursive: true, force: true });
}

/** Removes the bench nodes' roots (runs, cache): what the bench leaves on a bed that stays up. */
export function removeBenchRoots(bed: Testbed): void {
  for (const n of benchNodes(bed)) rmSync(n.root, { recursive: true, force: true });
}
