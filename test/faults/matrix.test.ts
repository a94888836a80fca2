/**
 * The fault matrix on this machine (docs/failures.md), with the default policy `on_failure: stop`: for
 * each fault, (a) the documented outcome (exit code, the coded error naming the job and the reason),
 * (b) the reason in the run's record (run.json and its events.jsonl line), and (c) no process of the
 * run left. The faults that need a node are in test/ssh/faults.test.ts.
 */
import { createConnection } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunStatus } from '../../src/api/records/types.js';
import { fixture, jobLines, processesTagged, runCli, startCli, type CliResult, type CliRun } from '../helpers/cli.js';
import { startGatedRun, type DataPort } from '../helpers/gated-run.js';
import { onlyRunRecord, type ReadRun, type RecordEvent } from '../helpers/run-record.js';
import { tempDir } from '../helpers/temp-dir.js';
import { execFixture } from '../exec/helpers.js';
import { killedWorkerOutcome } from '../helpers/fault-outcomes.js';

interface Fault {
  fault: string;
  /** Starts the run (its records go to `runs`) and makes the fault happen. */
  inflict(runs: string): Promise<CliRun>;
  /** Exit code of `marvelo run`, or the signal that ended it. */
  exit: number | 'SIGKILL';
  /** The coded error on stderr: names the job and the reason. */
  error?: RegExp;
  status: RunStatus;
  /** run.json's `reason` (undefined: a run that succeeded). */
  reason: string | undefined;
  /** run.json's `failure`; its job is `failed` in the record's jobs. */
  failure?: { job: string; code?: string };
  /** The events.jsonl line that says what happened. */
  event: Partial<RecordEvent> & { type: string };
  /** More that this fault must show (the run goes on, its counts). */
  also?: (r: CliResult) => void;
  /** More that its record must show. */
  alsoRecorded?: (read: ReadRun, run: CliRun) => void;
}

const started = (file: string, runs: string, args: string[] = []) => startCli(['run', file, ...args], { env: { MARVELO_RUNS_DIR: runs } });

/** An endless network with the worker of `job` killed with kill -9 once `when` shows (by default: blocks flow, the sink printed 3). */
async function killWorker(runs: string, file: string, job: string, when = /^sink\s*\| 3$/m): Promise<CliRun> {
  const run = started(file, runs, ['--verbose']);
  const pid = await workerPid(run, job);
  await run.waitFor(when, 'stdout');
  process.kill(pid, 'SIGKILL');
  return run;
}

async function workerPid(run: CliRun, job: string): Promise<number> {
  const [, pid] = (await run.waitFor(new RegExp(`${job} on local pid (\\d+)`), 'stdout'))!;
  return Number(pid);
}

/** sleep.yaml's program is asleep: it neither reads nor writes its pipes. */
const ASLEEP = /^nap\s*\| asleep$/m;

/** gated.yaml with one intruder on the source's data port mid-run; then the source goes on to its end. */
async function intruder(runs: string, transport: 'unix' | 'tcp', payload: Buffer): Promise<CliRun> {
  const { run, gate, target } = await startGatedRun(transport, { MARVELO_RUNS_DIR: runs });
  await intrude(target, payload);
  writeFileSync(gate, '');
  return run;
}

/** A frame header claiming 4 GiB: far more than any handshake frame may be. */
const MALFORMED_FRAME = Buffer.from([0xff, 0xff, 0xff, 0xff, 6, 1, 2, 3]);

/** A HELLO for pipe `a` signed with a guessed (all-zero) secret. */
function forgedHello(): Buffer {
  const forged = Buffer.alloc(5 + 32 + 1);
  forged.writeUInt32BE(1 + 32 + 1, 0);
  forged[4] = 6; // HELLO
  forged.write('a', 37);
  return forged;
}

/** The run goes on: the sink has every value, exit 0, and the worker counted the refusal. */
function goesOnAndCounts(r: CliResult): void {
  expect(jobLines(r.stderr, 'sink')).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
  expect(JSON.parse(r.stdout)).toMatchObject({ refused: 1 });
}

/** A refusal is no failure: the record's summary counts it (there is no event of its own). */
function refusalRecorded({ record }: ReadRun): void {
  expect(record.summary).toMatchObject({ refused: 1 });
  expect(record.jobs.every((j) => j.state === 'succeeded')).toBe(true);
}

const FAULTS: Fault[] = [
  {
    fault: 'kill -9 of a worker',
    inflict: (runs) => killWorker(runs, fixture('endless.yaml'), 'fwd'),
    ...killedWorkerOutcome('fwd', 'local'),
    alsoRecorded: ({ record, events }) => {
      expect(record.jobs.find((j) => j.job === 'fwd')).toMatchObject({ exit: { code: null, signal: 'SIGKILL' } });
      expect(events).toContainEqual(expect.objectContaining({ type: 'job-failed', job: 'fwd', reason: 'JobExit(SIGKILL)' }));
    },
  },
  {
    // its program (jsonmap.py) reads and writes its pipes: it ends with them (the client kills its group anyway)
    fault: "kill -9 of an executable job's worker (its program ends with its pipes)",
    inflict: (runs) => killWorker(runs, execFixture('interrupt.yaml'), 'map'),
    ...killedWorkerOutcome('map', 'local'),
  },
  {
    // nothing the program does ends it: the client kills its process group, which the worker reported
    fault: "kill -9 of an executable job's worker whose program sleeps (neither reads nor writes)",
    inflict: (runs) => killWorker(runs, execFixture('sleep.yaml'), 'nap', ASLEEP),
    ...killedWorkerOutcome('nap', 'local'),
  },
  {
    fault: 'an executable that exits with a status (Python)',
    inflict: async (runs) => started(execFixture('crash.yaml'), runs),
    exit: 1,
    error: /error: job 'crash' failed: MRV_JOB_FAILED executable \S+crash\.py exited with status 3; its last stderr lines:\n {2}crash\.py: read 3 lines\n {2}crash\.py: giving up after 3 lines/,
    status: 'failed',
    reason: 'MRV_JOB_FAILED',
    failure: { job: 'crash', code: 'MRV_JOB_FAILED' },
    event: { type: 'job-failed', job: 'crash', code: 'MRV_JOB_FAILED', reason: 'MRV_JOB_FAILED' },
    also: (r) => expect(r.stderr).not.toMatch(/\n\s+at /), // the program failed, not marvelo: no stack
  },
  {
    fault: 'an executable that crashes (SIGSEGV)',
    inflict: async (runs) => started(execFixture('segfault.yaml'), runs),
    exit: 1,
    error: /error: job 'crash' failed: MRV_JOB_FAILED executable \S+crash\.py was killed by SIGSEGV; its last stderr lines:\n {2}crash\.py: read 3 lines/,
    status: 'failed',
    reason: 'MRV_JOB_FAILED',
    failure: { job: 'crash', code: 'MRV_JOB_FAILED' },
    event: { type: 'job-failed', job: 'crash', reason: 'MRV_JOB_FAILED' },
  },
  ...(['unix', 'tcp'] as const).flatMap((transport): Fault[] => [
    {
      fault: `a malformed frame on a data port (${transport})`,
      inflict: (runs) => intruder(runs, transport, MALFORMED_FRAME),
      exit: 0,
      status: 'succeeded',
      reason: undefined,
      event: { type: 'finished', status: 'succeeded' },
      also: goesOnAndCounts,
      alsoRecorded: refusalRecorded,
    },
    {
      fault: `an unauthenticated connection on a data port (${transport})`,
      inflict: (runs) => intruder(runs, transport, forgedHello()),
      exit: 0,
      status: 'succeeded',
      reason: undefined,
      event: { type: 'finished', status: 'succeeded' },
      also: goesOnAndCounts,
      alsoRecorded: refusalRecorded,
    },
  ]),
  {
    fault: 'a job stuck in run() (job timeout: 1s)',
    inflict: async (runs) => started(fixture('timeout-loop.yaml'), runs),
    exit: 1,
    error: /MRV_JOB_TIMEOUT job 'stuck' timed out: a run\(\) call took longer than its timeout of 1s; .*synchronous loop in run\(\), its event loop never returned/,
    status: 'failed',
    reason: 'MRV_JOB_TIMEOUT',
    failure: { job: 'stuck', code: 'MRV_JOB_TIMEOUT' },
    event: { type: 'job-failed', job: 'stuck', code: 'MRV_JOB_TIMEOUT', reason: 'MRV_JOB_TIMEOUT' },
  },
  {
    fault: 'a job that throws in setup()',
    inflict: async (runs) => started(fixture('setup-throws.yaml'), runs),
    exit: 1,
    error: /error: job 'calib' failed during setup: calibration file missing\n\s+at ThrowsInSetup\.setup \(.*jobs\.ts:\d+:\d+\)/,
    status: 'failed',
    reason: 'MRV_JOB_FAILED',
    failure: { job: 'calib' },
    event: { type: 'job-failed', job: 'calib', reason: 'MRV_JOB_FAILED' },
  },
  {
    fault: 'a client killed with SIGKILL',
    inflict: async (runs) => {
      const run = started(fixture('endless.yaml'), runs);
      await run.waitFor(/^sink\s*\| 1$/m, 'stdout');
      run.proc.kill('SIGKILL');
      return run;
    },
    exit: 'SIGKILL',
    status: 'failed',
    reason: 'ClientLost',
    event: { type: 'client-lost' },
    alsoRecorded: ({ record, events }, run) => {
      expect(record.client.pid).toBe(run.proc.pid);
      expect(events.at(-1)).toMatchObject({ type: 'client-lost', pid: run.proc.pid });
    },
  },
  {
    // The worker is stopped first, so that neither it nor the client can end the program: the run's keeper must.
    fault: "a client killed with SIGKILL together with an executable job's worker, its program asleep",
    inflict: async (runs) => {
      const run = started(execFixture('sleep.yaml'), runs, ['--verbose']);
      const pid = await workerPid(run, 'nap');
      await run.waitFor(ASLEEP, 'stdout');
      process.kill(pid, 'SIGSTOP');
      run.proc.kill('SIGKILL');
      process.kill(pid, 'SIGKILL');
      return run;
    },
    exit: 'SIGKILL',
    status: 'failed',
    reason: 'ClientLost',
    event: { type: 'client-lost' },
  },
];

describe('fault matrix (on_failure: stop), on this machine', () => {
  for (const f of FAULTS) {
    it(`${f.fault}: ${f.exit === 'SIGKILL' ? 'the client is gone' : `exit ${f.exit}`}, ${f.status}${f.reason ? ` (${f.reason})` : ''} in the record, no process left`, async () => {
      const runs = tempDir();
      const run = await f.inflict(runs);
      const r = await run.done;
      // (a) the outcome
      if (f.exit === 'SIGKILL') expect(r.signal).toBe('SIGKILL');
      else expect(r.code, r.stderr).toBe(f.exit);
      if (f.error) expect(r.stderr).toMatch(f.error);
      f.also?.(r);
      // (c) no process of the run left: a killed client's workers see their control channel close
      await expect.poll(() => processesTagged(r.tag), { timeout: 10_000, interval: 50 }).toEqual([]);
      // (b) the record; a killed client's is marked by the next command that reads it
      if (f.exit === 'SIGKILL') expect(onlyRunRecord(runs).record.status).toBe('running');
      const list = await runCli(['runs', '--json'], { env: { MARVELO_RUNS_DIR: runs } });
      expect(JSON.parse(list.stdout)).toMatchObject([{ status: f.status, ...(f.reason ? { reason: f.reason } : {}) }]);
      const read = onlyRunRecord(runs);
      const { record, events } = read;
      expect(record.status).toBe(f.status);
      expect(record.reason).toBe(f.reason);
      expect(record.finishedAt).toBeDefined();
      if (f.failure) expect(record.failure).toMatchObject(f.failure);
      if (f.failure) expect(record.jobs.find((j) => j.job === f.failure!.job)).toMatchObject({ state: 'failed' });
      expect(events).toContainEqual(expect.objectContaining(f.event));
      f.alsoRecorded?.(read, run);
    });
  }
});

function intrude(target: DataPort, payload: Buffer): Promise<void> {
  return new Promise((resolve) => {
    const s = createConnection(target as never);
    s.on('error', () => {});
    s.on('connect', () => s.write(payload));
    s.on('data', () => {});
    s.on('close', () => resolve());
  });
}
