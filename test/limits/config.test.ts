import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadNetwork, validateNetwork } from '../../src/config/load.js';
import { expectError, fixture, tempBundleDir } from '../config/helpers.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp-dir.js';

const bundleDir = tempBundleDir();

function network(dir: string, jobs: string, nodes = ''): string {
  const file = join(dir, 'net.yaml');
  writeFileSync(
    file,
    `name: limited
jobs:
  - { name: a, uses: ${fixture('jobs', 'count.ts')}, outputs: [p1] }
${jobs}
${nodes}`,
  );
  return file;
}

describe('limits: in the network file', () => {
  it('parses limits as Kubernetes quantities; a limit without a request is also the request', async () => {
    const dir = tempDir();
    const file = network(
      dir,
      `  - name: b
    uses: ${fixture('jobs', 'sink.ts')}
    inputs: [p1]
    resources: { cpu: 250m }
    limits: { cpu: 1.5, memory: 256Mi }`,
    );
    const { network: net } = await loadNetwork(file, { bundleDir });
    const b = net.jobs.find((j) => j.name === 'b')!;
    expect(b.limits).toEqual({ cpu: '1.5', cpuMillis: 1500, memory: '256Mi', memoryBytes: 256 * 2 ** 20 });
    expect(b.resources).toEqual({ cpu: '250m', cpuMillis: 250, memory: '256Mi', memoryBytes: 256 * 2 ** 20 });
    expect(net.jobs.find((j) => j.name === 'a')!.limits).toBeUndefined();
  });

  it('refuses a limit below its request, at the limit\'s line', async () => {
    const dir = tempDir();
    const file = network(
      dir,
      `  - name: b
    uses: ${fixture('jobs', 'sink.ts')}
    inputs: [p1]
    resources: { cpu: 500m, memory: 1Gi }
    limits:
      cpu: 250m
      memory: 2Gi`,
    );
    const result = await validateNetwork(file, { bundleDir });
    expect(result.ok).toBe(false);
    expectError(result.errors, {
      code: 'MRV_CONFIG_SCHEMA',
      message: "job 'b' limits: cpu 250m is below its request (resources: cpu 500m)",
      line: 9,
      job: 'b',
      hint: 'raise limits.cpu or lower resources.cpu',
    });
    expect(result.errors).toHaveLength(1);
  });

  it('refuses a limit that is not a quantity, and an unknown key under limits', async () => {
    const dir = tempDir();
    const bad = await validateNetwork(network(dir, `  - { name: b, uses: ${fixture('jobs', 'sink.ts')}, inputs: [p1], limits: { memory: 1GB } }`), { bundleDir });
    expect(bad.ok).toBe(false);
    expectError(bad.errors, { code: 'MRV_CONFIG_SCHEMA', message: 'job \'b\' limits: memory "1GB" is not a quantity', line: 4 });
    const unknown = await validateNetwork(network(dir, `  - { name: b, uses: ${fixture('jobs', 'sink.ts')}, inputs: [p1], limits: { gpu: 1 } }`), { bundleDir });
    expect(unknown.ok).toBe(false);
    expect(unknown.errors.map((e) => e.code)).toContain('MRV_CONFIG_SCHEMA');
  });

  it('the CLI names the file and line of a limit below its request, without a stack trace', async () => {
    const dir = tempDir();
    const file = network(dir, `  - { name: b, uses: ${fixture('jobs', 'sink.ts')}, inputs: [p1], resources: { memory: 1Gi }, limits: { memory: 512Mi } }`);
    const r = await runCli(['validate', file], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/net\.yaml:4:\d+: MRV_CONFIG_SCHEMA job 'b' limits: memory 512Mi is below its request \(resources: memory 1Gi\)/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('marvelo plan with limits', () => {
  const nodes = 'nodes:\n  - { name: n1, host: 10.0.0.1, capacity: { cpu: 2, memory: 1Gi } }\n';
  const jobs = `  - { name: b, uses: ${fixture('jobs', 'sink.ts')}, inputs: [p1], resources: { cpu: 500m }, limits: { cpu: 1, memory: 256Mi } }`;

  it('shows each job\'s requests and limits, and what each node has left', async () => {
    const dir = tempDir();
    const r = await runCli(['plan', network(dir, jobs, nodes)], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`
  job  requests                limits
  a    nothing                 -
  b    cpu 500m, memory 256Mi  cpu 1, memory 256Mi

  node  capacity           left
  n1    cpu 2, memory 1Gi  cpu 1500m, memory 768Mi
`);
  });

  it('--json carries them as `resources`', async () => {
    const dir = tempDir();
    const r = await runCli(['plan', network(dir, jobs, nodes), '--json'], { cwd: dir });
    expect(r.stderr).toBe('');
    const plan = JSON.parse(r.stdout) as { resources: { jobs: { job: string; limits: object | null }[]; nodes: { node: string; left: object }[] } };
    expect(plan.resources.jobs.find((j) => j.job === 'b')!.limits).toEqual({ cpu: '1', cpuMillis: 1000, memory: '256Mi', memoryBytes: 256 * 2 ** 20 });
    expect(plan.resources.jobs.find((j) => j.job === 'a')!.limits).toBeNull();
    expect(plan.resources.nodes).toEqual([
      {
        node: 'n1',
        capacity: { cpu: '2', cpuMillis: 2000, memory: '1Gi', memoryBytes: 2 ** 30 },
        left: { cpu: '1500m', cpuMillis: 1500, memory: '768Mi', memoryBytes: 768 * 2 ** 20 },
      },
    ]);
  });
});
