/**
 * Times how long the client takes to notice a fault on a node: a run of bench/networks/failover.yaml
 * (tick on one node, `far` on another, show on the client) through the real runtime (startRun, as
 * `marvelo run`); once blocks reach the client, `inflict` makes the fault, and the figure is the time
 * from just before the fault to the first run event that names `far` (job-exited, or job-failed when a
 * job reports its failure first). Both instants are read in this process on one monotonic clock; the
 * test-bed's commands run here too, so nothing crosses machines.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startRun, type RunEvent } from '../../src/api/run.js';
import type { RunRecord } from '../../src/api/records/types.js';
import { nowNs } from './clock.js';
import { benchNetwork, materializeNetwork } from './network-file.js';

/** The job the faults hit. */
export const FAULTED_JOB = 'far';

/** A run still going this long after its fault is interrupted: the fault went unnoticed. */
const UNNOTICED_MS = 30_000;

export interface Detection {
  /** ms from just before the fault to the first event naming the job. */
  ms: number;
  /** That event, as the run said it: `job-exited (signal SIGKILL)`, `job-exited (connection lost)`, ... */
  event: string;
  /** The run record's reason (JobExit(SIGKILL), NodeLost, ...). */
  reason: string | undefined;
}

export interface FaultPlacement {
  /** The cluster file. */
  nodes: string;
  /** Where tick runs (not the faulted node). */
  tickNode: string;
  /** Where `far` runs: the node the fault hits. */
  farNode: string;
}

/**
 * Makes the fault, given the pid of `far` on its node (the test-bed's nodes share this machine's process
 * table); returns nowNs() taken just before the fault's own system call, after any look-up it needs.
 */
export type Inflict = (farPid: number) => number;

/** One run: returns once it has ended, with the detection time. */
export async function timeDetection(parent: string, placement: FaultPlacement, inflict: Inflict): Promise<Detection> {
  const dir = mkdtempSync(join(parent, 'run-'));
  const file = materializeNetwork(benchNetwork('failover'), {}, dir, {
    nodes: placement.nodes,
    jobs: { tick: placement.tickNode, far: placement.farNode, show: 'LOCAL' },
  });
  let farPid: number | undefined;
  let flowed = false;
  let faultNs = 0;
  let faulted = false;
  let detected: { ns: number; event: string } | undefined;
  let flowing: () => void = () => {};
  const blocksFlow = new Promise<void>((resolve) => (flowing = resolve));
  const handle = startRun(file, {
    runDir: join(dir, 'run'),
    record: { dir: join(dir, 'runs') },
    onEvent: (e: RunEvent) => {
      if (e.type === 'started') farPid = e.workers.find((w) => w.job === FAULTED_JOB)?.pid;
      else if (e.type === 'log' && e.job === 'show') {
        flowed = true;
        flowing();
      } else if (faulted && detected === undefined && namesJob(e)) detected = { ns: nowNs(), event: describe(e) };
    },
  });
  await Promise.race([blocksFlow, handle.done]);
  if (!flowed || farPid === undefined) {
    handle.interrupt();
    const { summary } = await handle.done;
    throw new Error(`the failover network ${summary.status} before blocks reached the client${summary.failure ? `: ${summary.failure.message}` : ''}`);
  }
  faulted = true; // events are delivered on this thread: none can arrive while inflict() runs
  faultNs = inflict(farPid);
  // a fault that goes unnoticed must not hang the bench
  const guard = setTimeout(() => handle.interrupt(), UNNOTICED_MS);
  const { summary } = await handle.done.finally(() => clearTimeout(guard));
  if (detected === undefined) throw new Error(`the run ended (${summary.status}) without an event naming '${FAULTED_JOB}' (given up after ${UNNOTICED_MS / 1000} s)`);
  const record = JSON.parse(readFileSync(join(handle.recordDir!, 'run.json'), 'utf8')) as RunRecord;
  return { ms: (detected.ns - faultNs) / 1e6, event: detected.event, reason: record.reason };
}

function namesJob(e: RunEvent): boolean {
  return (e.type === 'job-exited' || e.type === 'job-failed') && e.job === FAULTED_JOB;
}

function describe(e: RunEvent): string {
  if (e.type === 'job-exited') return `job-exited (${e.signal ? `signal ${e.signal}` : e.code === null ? 'connection lost' : `code ${e.code}`})`;
  if (e.type === 'job-failed') return `job-failed (${e.failure.code ?? 'job error'})`;
  return e.type;
}
