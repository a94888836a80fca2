import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture } from '../config/helpers.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp-dir.js';

const NODES = 'nodes:\n  - { name: n1, host: 10.0.0.1, capacity: { cpu: 1 } }\n  - { name: n2, host: 10.0.0.2, capacity: { cpu: 2 } }\n';

function network(dir: string, cpuOfC: string, nodes = NODES): string {
  const file = join(dir, 'net.yaml');
  writeFileSync(
    file,
    `name: spread
jobs:
  - { name: a, uses: ${fixture('jobs', 'count.ts')}, outputs: [p1], resources: { cpu: 1 } }
  - { name: b, uses: ${fixture('jobs', 'sum.ts')}, inputs: [p1], outputs: [p2], resources: { cpu: 1 } }
  - { name: c, uses: ${fixture('jobs', 'sink.ts')}, inputs: [p2], resources: { cpu: ${cpuOfC} } }
  - { name: d, uses: ${fixture('jobs', 'count.ts')}, outputs: [p3], groups: [LOCAL] }
  - { name: e, uses: ${fixture('jobs', 'sink.ts')}, inputs: [p3], groups: [LOCAL] }
${nodes}`,
  );
  return file;
}

describe('marvelo plan', () => {
  it('prints the placement table and the pipes with their transport, and runs nothing', async () => {
    const dir = tempDir();
    const r = await runCli(['plan', network(dir, '500m')], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`spread: 5 jobs on 2 nodes and this machine

  job  node   why
  a    n1     group ALL: fewest jobs (0)
  b    n2     group ALL: fewest jobs (0)
  c    n2     group ALL: fewest jobs (1)
  d    local  group LOCAL: the client
  e    local  group LOCAL: the client

  pipe  route               transport
  p1    a@n1 -> b@n2        tcp
  p2    b@n2 -> c@n2        unix
  p3    d@local -> e@local  unix

  job  requests  limits
  a    cpu 1     -
  b    cpu 1     -
  c    cpu 500m  -
  d    nothing   -
  e    nothing   -

  node  capacity  left
  n1    cpu 1     cpu 0
  n2    cpu 2     cpu 500m
`);
  });

  it('--json prints the Plan, its maps as objects', async () => {
    const dir = tempDir();
    const r = await runCli(['plan', network(dir, '500m'), '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(plan['nodeOf']).toEqual({ a: 'n1', b: 'n2', c: 'n2', d: 'local', e: 'local' });
    expect(plan['transportOf']).toEqual({ p1: 'tcp', p2: 'unix', p3: 'unix' });
    expect(plan['jobs']).toContainEqual({ job: 'c', node: 'n2', why: 'group ALL: fewest jobs (1)' });
    expect((plan['nodes'] as { name: string; host: string }[]).map((n) => [n.name, n.host])).toEqual([['n1', '10.0.0.1'], ['n2', '10.0.0.2']]);
  });

  it('exits 1 with the coded error when the network cannot be placed', async () => {
    const dir = tempDir();
    const file = network(dir, '2');
    const r = await runCli(['plan', file], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `error: net.yaml:5:5: MRV_PLAN_PLACEMENT job 'c' asks cpu 2, but no node of its groups (ALL) has that left: n1 has cpu 0 left; n2 has cpu 1 left
  hint: give the nodes more capacity, lower the job's resources, or add a node to its groups (jobs are booked in file order)
`,
    );
  });

  it('--nodes takes the nodes of a cluster file instead of the network file\'s', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'cluster.yaml'), 'nodes:\n  - { name: big, host: 10.0.0.9, capacity: { cpu: 8 } }\n');
    const r = await runCli(['plan', network(dir, '2'), '--nodes', 'cluster.yaml', '--json'], { cwd: dir });
    expect(r.stderr).toBe('');
    const plan = JSON.parse(r.stdout) as { nodeOf: Record<string, string> };
    expect(plan.nodeOf).toEqual({ a: 'big', b: 'big', c: 'big', d: 'local', e: 'local' });
  });
});
