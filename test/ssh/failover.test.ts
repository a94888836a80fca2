/**
 * Failover on the SSH test-bed: 1 M blocks through source (n1) -> stateless connector (n2) -> join and
 * sink (n3), the source also feeding the join. The connector has `on_failure: restart`; killing its
 * worker with SIGKILL, or its whole node, mid-stream restarts it (on n2, or on another node) and the
 * sink still sees every value exactly once, in order, without a dummy.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startRun, type RunEvent } from '../../src/api/run.js';
import { ROOT } from '../helpers/cli.js';
import { announceTestbedSkip, processesOfRun, testbed } from '../helpers/testbed.js';
import { tempDir } from '../helpers/temp-dir.js';

announceTestbedSkip();
const bed = testbed();

const JOBS = join(ROOT, 'test', 'fixtures', 'failover', 'jobs.ts');
const TESTBED_SCRIPT = join(ROOT, 'scripts', 'testbed.sh');
const BLOCKS = 1_000_000;

function diamond(): { dir: string; file: string } {
  const dir = tempDir();
  const file = join(dir, 'diamond.yaml');
  writeFileSync(
    file,
    [
      'name: diamond',
      'jobs:',
      `  - { name: source, uses: ${JOBS}#Numbers, params: { limit: ${BLOCKS} }, outputs: [x1, x2], default_node: n1 }`,
      `  - { name: double, uses: ${JOBS}#Double, inputs: [x1], outputs: [d], default_node: n2, on_failure: restart, retry_backoff: 0 }`,
      `  - { name: join, uses: ${JOBS}#Pair, inputs: [d, x2], outputs: [y], default_node: n3 }`,
      `  - { name: sink, uses: ${JOBS}#Check, inputs: [y], default_node: n3 }`,
      `nodes: ${bed!.clusterFile}`,
      '',
    ].join('\n'),
  );
  return { dir, file };
}

/** Runs the diamond and, once the sink has run a fifth of its rounds, does `fault` to the connector's worker (its node and pid). */
async function runWithFault(fault: (node: string, pid: number) => void) {
  const { dir, file } = diamond();
  const events: RunEvent[] = [];
  const lines: string[] = [];
  let runId = '';
  let struck = false;
  const handle = startRun(file, {
    cwd: dir,
    metricsMs: 100,
    onEvent: (e) => {
      events.push(e);
      if (e.type === 'planned') runId = e.runId;
      if (e.type === 'log' && e.job === 'sink') lines.push(e.line);
      if (e.type === 'metrics' && e.job === 'sink' && e.stats.rounds >= BLOCKS / 5 && !struck) {
        struck = true;
        const started = events.find((x) => x.type === 'started');
        const double = started?.type === 'started' ? started.workers.find((w) => w.job === 'double') : undefined;
        fault(double!.node, double!.pid!);
      }
    },
  });
  const result = await handle.done;
  return { result, events, lines, runId, struck };
}

/** The connector runs again on another node of the bed (placement picks the one with the fewest jobs), and says why. */
function expectMovedOffN2(events: RunEvent[]): void {
  const restarted = events.find((e) => e.type === 'job-restarted');
  if (restarted?.type !== 'job-restarted') throw new Error('the connector was not restarted');
  expect(restarted.job).toBe('double');
  expect(bed!.nodes.map((n) => n.name).filter((n) => n !== 'n2')).toContain(restarted.node);
  expect(restarted.why).toMatch(/^n2 was lost; group ALL: fewest jobs/);
}

describe.skipIf(!bed)('failover on the SSH test-bed', () => {
  it('kill -9 of the connector on its node: restarted on the same node, the sink gets every block exactly once', async () => {
    const { result, events, lines, runId, struck } = await runWithFault((_node, pid) => process.kill(pid, 'SIGKILL'));
    expect(struck).toBe(true);
    expect(result.summary.failure).toBeUndefined();
    expect(lines).toEqual([`count ${BLOCKS} wrong 0 dummies 0`]);
    expect(events.find((e) => e.type === 'job-restarting')).toMatchObject({ job: 'double', node: 'n2', attempt: 1 });
    expect(events.find((e) => e.type === 'job-restarted')).toMatchObject({ job: 'double', node: 'n2', why: 'its node n2 is alive' });
    await expect.poll(() => processesOfRun(runId), { timeout: 10_000, interval: 100 }).toEqual([]);
  });

  it('the connector\'s whole node dies: restarted on another node, the sink gets every block exactly once', async () => {
    onTestFinished(() => void execFileSync('bash', [TESTBED_SCRIPT, 'revive', 'n2']));
    const { result, events, lines, runId, struck } = await runWithFault((node) => void execFileSync('bash', [TESTBED_SCRIPT, 'kill', node]));
    expect(struck).toBe(true);
    expect(result.summary.failure).toBeUndefined();
    expect(lines).toEqual([`count ${BLOCKS} wrong 0 dummies 0`]);
    const restarting = events.find((e) => e.type === 'job-restarting');
    expect(restarting).toMatchObject({ job: 'double', node: 'n2', attempt: 1 });
    expectMovedOffN2(events);
    await expect.poll(() => processesOfRun(runId), { timeout: 10_000, interval: 100 }).toEqual([]);
  });

  it('the connector\'s link is cut: after the keepalive timeout it is restarted on another node, the sink gets every block exactly once', async () => {
    const link = bed!.nodes.find((n) => n.name === 'n2')!.hostLink;
    const up = () => void execFileSync('ip', ['link', 'set', link, 'up']);
    onTestFinished(up);
    const { result, events, lines, runId, struck } = await runWithFault(() => void execFileSync('ip', ['link', 'set', link, 'down']));
    expect(struck).toBe(true);
    expect(result.summary.failure).toBeUndefined();
    expect(lines).toEqual([`count ${BLOCKS} wrong 0 dummies 0`]);
    expect(events.find((e) => e.type === 'job-restarting')).toMatchObject({ job: 'double', node: 'n2', reason: expect.stringMatching(/Keepalive timeout/) });
    expectMovedOffN2(events);
    // the cut-off node ends the run's processes by itself (its keeper misses the client's beats)
    await expect.poll(() => processesOfRun(runId), { timeout: 15_000, interval: 100 }).toEqual([]);
  });
});
