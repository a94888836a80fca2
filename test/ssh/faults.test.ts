/**
 * The fault matrix on the SSH test-bed's nodes (docs/failures.md), with the default policy
 * `on_failure: stop`: a worker killed with kill -9 on its node (also an executable job's, whose program
 * is asleep), a node that dies, a cut link, and a client killed while its jobs run on nodes. For each:
 * (a) the documented outcome (exit code, the coded error naming the job, the node and the reason),
 * (b) the reason in the run's record (run.json and its events.jsonl line), and (c) nothing of the run
 * left on any node: no process of the test user, no run folder. The faults on this machine alone are in test/faults/matrix.test.ts.
 */
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { RunStatus } from '../../src/api/records/types.js';
import { ROOT, runCli, startCli, type CliRun } from '../helpers/cli.js';
import { liveProcesses } from '../helpers/process-table.js';
import { onlyRunRecord, type RecordEvent } from '../helpers/run-record.js';
import { announceTestbedSkip, processesOfRun, runFolders, testbed, type TestbedNode } from '../helpers/testbed.js';
import { tempDir } from '../helpers/temp-dir.js';
import { killedWorkerOutcome } from '../helpers/fault-outcomes.js';
import { jobsStuckOnNodes } from '../helpers/stuck-on-nodes.js';

announceTestbedSkip();
const bed = testbed();

const JOBS = join(ROOT, 'jobs');
const TESTBED_SCRIPT = join(ROOT, 'scripts', 'testbed.sh');
const SLEEPER = join(ROOT, 'test', 'fixtures', 'exec', 'sleeper.sh');

/** A network file in a fresh folder, its nodes from the test-bed's cluster file. */
function network(jobs: string[]): { dir: string; file: string } {
  const dir = tempDir();
  const file = join(dir, 'net.yaml');
  writeFileSync(file, `name: net\njobs:\n${jobs.map((j) => `  - ${j}`).join('\n')}\nnodes: ${bed!.clusterFile}\n`);
  return { dir, file };
}

/** A run in progress, whose records go to `runs`. */
interface Running {
  run: CliRun;
  runId: string;
  runs: string;
}

/** An endless run whose blocks go n1 -> `node` (job `far`) -> n1, once blocks flow; `far`'s pid on its node. */
async function flowingThrough(node: string): Promise<Running & { far: number }> {
  const { dir, file } = network([
    `{ name: tick, uses: ${JOBS}/count.ts, params: { delay: 1 }, outputs: [a], default_node: n1 }`,
    `{ name: far, uses: ${JOBS}/forward.ts, inputs: [a], outputs: [b], default_node: ${node} }`,
    `{ name: show, uses: ${JOBS}/print.ts, inputs: [b], default_node: n1 }`,
  ]);
  const runs = tempDir();
  const run = startCli(['run', file, '--verbose'], { cwd: dir, env: { MARVELO_RUNS_DIR: runs } });
  const [, runId] = (await run.waitFor(/\[marvelo\] run ([0-9a-f-]+):/, 'stderr'))!;
  const [, far] = (await run.waitFor(new RegExp(`far on ${node} pid (\\d+)`), 'stdout'))!;
  await run.waitFor(/^show@n1 +\| 3$/m, 'stdout');
  return { run, runId: runId!, runs, far: Number(far) };
}

/**
 * A run whose executable job `far` on `node` runs a program that is asleep (it neither reads nor
 * writes its pipes, so nothing it does ends it); `far`'s worker pid on its node.
 */
async function asleepOn(node: string): Promise<Running & { far: number }> {
  const { dir, file } = network([
    `{ name: far, executable: ${SLEEPER}, outputs: [a], default_node: ${node} }`,
    `{ name: show, uses: ${JOBS}/print.ts, inputs: [a], default_node: n1 }`,
  ]);
  const runs = tempDir();
  const run = startCli(['run', file, '--verbose'], { cwd: dir, env: { MARVELO_RUNS_DIR: runs } });
  const [, runId] = (await run.waitFor(/\[marvelo\] run ([0-9a-f-]+):/, 'stderr'))!;
  const [, far] = (await run.waitFor(new RegExp(`far on ${node} pid (\\d+)`), 'stdout'))!;
  await run.waitFor(new RegExp(`^far@${node} +\\| asleep$`, 'm'), 'stdout');
  return { run, runId: runId!, runs, far: Number(far) };
}

/** A run whose jobs on n1 and n2 are stuck in synchronous loops: neither can see its control channel close. */
async function stuckOnNodes(): Promise<Running> {
  const { dir, file } = network(jobsStuckOnNodes());
  const runs = tempDir();
  const run = startCli(['run', file, '--verbose'], { cwd: dir, env: { MARVELO_RUNS_DIR: runs } });
  const [, runId] = (await run.waitFor(/\[marvelo\] run ([0-9a-f-]+):/, 'stderr'))!;
  await run.waitFor(/sink on n2 pid (\d+)/, 'stdout');
  await run.waitFor(/^src@n1 +\| spinning$/m);
  return { run, runId: runId!, runs };
}

/** Live (not zombie) processes of the test user on any node: its sessions, keepers and workers. */
function testUserProcesses(): number[] {
  return liveProcesses((pid) => statSync(`/proc/${pid}`).uid === bed!.uid);
}

function node(name: string): TestbedNode {
  return bed!.nodes.find((n) => n.name === name)!;
}

const linkUp = () => void execFileSync('ip', ['link', 'set', node('n2').hostLink, 'up']);

/** The run's folders on `nodes`. */
function folders(runId: string, nodes = bed!.nodes): string[] {
  return nodes.flatMap((n) => runFolders(n.root).filter((f) => f.includes(runId)));
}

interface NodeFault {
  fault: string;
  /** Starts the run. */
  start(): Promise<Running & { far?: number }>;
  /** Makes the fault happen; registers what brings the bed back. */
  inflict(running: Running & { far?: number }): void;
  exit: 1 | 'SIGKILL';
  /** The coded error on stderr: names the job, the node and the reason. */
  error?: RegExp;
  status: RunStatus;
  reason: string;
  failure?: { job: string; code: string };
  /** The events.jsonl line that says what happened. */
  event: Partial<RecordEvent> & { type: string };
  /** A dead node keeps its disk: the run folder it left is removed when a run prepares that node again. */
  deadNode?: string;
  /** Undoes the fault once the node has ended the run's processes by itself (before sshd ends its session). */
  repair?: () => void;
}

const FAULTS: NodeFault[] = [
  {
    fault: 'kill -9 of a worker on a node',
    start: () => flowingThrough('n2'),
    inflict: ({ far }) => process.kill(far!, 'SIGKILL'),
    ...killedWorkerOutcome('far', 'n2'),
  },
  {
    // the client kills the program's process group through the node's keeper
    fault: "kill -9 of an executable job's worker on a node, its program asleep",
    start: () => asleepOn('n2'),
    inflict: ({ far }) => process.kill(far!, 'SIGKILL'),
    ...killedWorkerOutcome('far', 'n2'),
  },
  {
    fault: 'a node that dies (every process of it killed)',
    start: () => flowingThrough('n3'),
    inflict: () => {
      onTestFinished(() => void execFileSync('bash', [TESTBED_SCRIPT, 'revive', 'n3']));
      execFileSync('bash', [TESTBED_SCRIPT, 'kill', 'n3']);
    },
    exit: 1,
    error: /error: job 'far' failed during worker: MRV_LAUNCH_WORKER the worker was lost with the connection to node 'n3'/,
    status: 'failed',
    reason: 'NodeLost',
    failure: { job: 'far', code: 'MRV_LAUNCH_WORKER' },
    event: { type: 'job-exited', job: 'far', node: 'n3', code: null, signal: null },
    deadNode: 'n3',
  },
  {
    fault: 'a cut link (the node\'s interface down)',
    start: () => flowingThrough('n2'),
    inflict: () => {
      onTestFinished(linkUp);
      execFileSync('ip', ['link', 'set', node('n2').hostLink, 'down']);
    },
    // sshd drops a session cut off this way only after its client-alive checks on an idle session (~13 s)
    repair: linkUp,
    exit: 1,
    error: /error: job 'far' failed during worker: MRV_LAUNCH_WORKER the worker was lost with the connection to node 'n2' \(Keepalive timeout\)/,
    status: 'failed',
    reason: 'NodeLost',
    failure: { job: 'far', code: 'MRV_LAUNCH_WORKER' },
    event: { type: 'job-exited', job: 'far', node: 'n2', code: null, signal: null },
  },
  {
    fault: 'a client killed with SIGKILL while its jobs on nodes are stuck in loops',
    start: stuckOnNodes,
    inflict: ({ run }) => run.proc.kill('SIGKILL'),
    exit: 'SIGKILL',
    status: 'failed',
    reason: 'ClientLost',
    event: { type: 'client-lost' },
  },
  {
    // The worker is stopped first, so that neither it nor the client can end the program: the node's keeper must.
    fault: "a client killed with SIGKILL together with an executable job's worker on a node, its program asleep",
    start: () => asleepOn('n2'),
    inflict: ({ run, far }) => {
      process.kill(far!, 'SIGSTOP');
      run.proc.kill('SIGKILL');
      process.kill(far!, 'SIGKILL');
    },
    exit: 'SIGKILL',
    status: 'failed',
    reason: 'ClientLost',
    event: { type: 'client-lost' },
  },
];

describe.skipIf(!bed)('fault matrix (on_failure: stop), on the SSH test-bed', () => {
  for (const f of FAULTS) {
    it(`${f.fault}: ${f.exit === 'SIGKILL' ? 'the client is gone' : `exit ${f.exit}`}, ${f.status} (${f.reason}) in the record, nothing left on any node`, async () => {
      const running = await f.start();
      const { run, runId, runs } = running;
      expect(processesOfRun(runId)).not.toEqual([]);
      f.inflict(running);
      const r = await run.done;
      // (a) the outcome
      if (f.exit === 'SIGKILL') expect(r.signal).toBe('SIGKILL');
      else expect(r.code, r.stderr).toBe(f.exit);
      if (f.error) expect(r.stderr).toMatch(f.error);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      // (c) nothing left: what the nodes do once the client is gone or cut off happens on their own time
      // (a cut-off node's keeper notices the missing beats in 4 to 6 s)
      const live = bed!.nodes.filter((n) => n.name !== f.deadNode);
      const left = () => ({ processes: processesOfRun(runId), folders: folders(runId, live) });
      await expect.poll(left, { timeout: 15_000, interval: 100 }).toEqual({ processes: [], folders: [] });
      f.repair?.();
      await expect.poll(testUserProcesses, { timeout: 10_000, interval: 100 }).toEqual([]);
      if (f.deadNode) {
        // the dead node kept its disk: its run folder is there until a run prepares that node again
        expect(folders(runId)).toHaveLength(1);
        execFileSync('bash', [TESTBED_SCRIPT, 'revive', f.deadNode]);
        const again = network([
          `{ name: src, uses: ${JOBS}/count.ts, params: { limit: 2 }, outputs: [a], default_node: ${f.deadNode} }`,
          `{ name: sink, uses: ${JOBS}/print.ts, inputs: [a], default_node: ${f.deadNode} }`,
        ]);
        const r2 = await runCli(['run', again.file], { cwd: again.dir });
        expect(r2.code, r2.stderr).toBe(0);
        expect(folders(runId)).toEqual([]);
      }
      // (b) the record; a killed client's is marked by the next command that reads it
      const list = await runCli(['runs', '--json'], { env: { MARVELO_RUNS_DIR: runs } });
      expect(JSON.parse(list.stdout)).toMatchObject([{ status: f.status, reason: f.reason }]);
      const { record, events } = onlyRunRecord(runs);
      expect(record).toMatchObject({ id: runId, status: f.status, reason: f.reason });
      if (f.failure) expect(record.failure).toMatchObject(f.failure);
      if (f.failure) expect(record.jobs.find((j) => j.job === f.failure!.job)).toMatchObject({ state: 'failed', node: f.event.node });
      expect(events).toContainEqual(expect.objectContaining(f.event));
    });
  }
});
