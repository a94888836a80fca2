/**
 * Networks spread over the test-bed's real OpenSSH nodes (scripts/testbed.sh): exact results, where each
 * job ran, shipping, host keys, a node that is down, a node with 30 jobs, and nothing left behind.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli, startCli, type CliResult } from '../helpers/cli.js';
import { announceTestbedSkip, processesOfRun, runFolders, testbed } from '../helpers/testbed.js';
import { tempDir } from '../helpers/temp-dir.js';
import { EXPECTED_DEMO_CSV } from '../helpers/demo-sums.js';

announceTestbedSkip();
const bed = testbed();

const JOBS = join(ROOT, 'jobs');
const SSH_JOBS = join(ROOT, 'test', 'fixtures', 'ssh', 'jobs.ts');


/** A network file in a fresh folder, its nodes from the test-bed's cluster file. */
function network(jobs: string[], pipes = '', nodes = bed!.clusterFile): { dir: string; file: string } {
  const dir = tempDir();
  const file = join(dir, 'net.yaml');
  writeFileSync(file, `name: net\njobs:\n${jobs.map((j) => `  - ${j}`).join('\n')}\n${pipes ? `pipes:\n${pipes}\n` : ''}nodes: ${nodes}\n`);
  return { dir, file };
}

/** The demo network's jobs on the given nodes (its csv sink writes on the client). */
function demoJobs([c1, c2, c3, joinOn, reduceOn]: string[]): string[] {
  return [
    `{ name: count1, uses: ${JOBS}/count.ts, params: { start: 1, step: 1, limit: 50 }, outputs: [p101], default_node: ${c1} }`,
    `{ name: count2, uses: ${JOBS}/count.ts, params: { start: 1, step: 2, limit: 50 }, outputs: [p102], default_node: ${c2} }`,
    `{ name: count3, uses: ${JOBS}/count.ts, params: { start: 1, step: 3, limit: 50 }, outputs: [p103], default_node: ${c3} }`,
    `{ name: join, uses: ${JOBS}/product.ts, inputs: [p101, p102, p103], outputs: [p105], default_node: ${joinOn} }`,
    `{ name: reduce, uses: ${JOBS}/sum.ts, inputs: [p105], outputs: [p106], default_node: ${reduceOn} }`,
    `{ name: save, uses: 'builtin:csv-sink', params: { path: sums.csv }, inputs: [p106] }`,
  ];
}
const DEMO_PIPES = '  p105: { codec: msgpack, block_count: 5 }';

/** The run id `--verbose` prints. */
function runIdOf(r: Pick<CliResult, 'stderr'>): string {
  const m = /\[marvelo\] run ([0-9a-f]+):/.exec(r.stderr);
  if (!m) throw new Error(`no run id in:\n${r.stderr}`);
  return m[1]!;
}

/** Nothing of the run is left on any node: no process, no run folder. */
function expectNothingLeft(runId: string): void {
  expect(processesOfRun(runId)).toEqual([]);
  for (const n of bed!.nodes) expect(runFolders(n.root).filter((f) => f.endsWith(runId))).toEqual([]);
}

/** Polls `cond` until it holds or `ms` pass: for what the nodes do after the client is gone. */
async function eventually(cond: () => boolean, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!cond() && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
}

describe.skipIf(!bed)('distribution over SSH (the test-bed)', () => {
  it('runs the demo over 3 nodes with exact results, each job where the plan put it, and leaves nothing', async () => {
    const { dir, file } = network(
      [
        ...demoJobs(['n1', 'n2', 'n3', 'n1', 'n2']),
        `{ name: where1, uses: ${SSH_JOBS}#Where, outputs: [w1], default_node: n1 }`,
        `{ name: show1, uses: ${JOBS}/print.ts, inputs: [w1], default_node: n3 }`,
      ],
      DEMO_PIPES,
    );
    const r = await runCli(['run', file, '--verbose'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(dir, 'sums.csv'), 'utf8')).toBe(EXPECTED_DEMO_CSV);
    // the job's output is relayed as job@node; what it printed is the name of the machine it ran on
    expect(r.stdout).toMatch(/^where1@n1 +\| n1$/m);
    expect(r.stdout).toMatch(/^show1@n3 +\| n1$/m);
    expect(r.stderr).toMatch(/count2 on n2 pid \d+ listening tcp 10\.77\.0\.12:\d+/);
    expect(r.stderr).toMatch(/count1 on n1 pid \d+ listening tcp 10\.77\.0\.11:\d+/);
    expectNothingLeft(runIdOf(r));
  });
});
