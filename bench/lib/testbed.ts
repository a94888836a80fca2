/**
 * The SSH test-bed (scripts/testbed.sh) for the ssh-* scenarios. The runner brings it up before the
 * first scenario that needs it, when it is not up already, and takes it down after the last one only
 * if it brought it up; the scenario processes learn the outcome from an environment variable. A
 * machine that cannot build it gives the reason, and those scenarios report themselves skipped.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cannotBuildTestbed, ownerAlive, runTestbedScript, TESTBED_OWNER } from '../../test/helpers/testbed-control.js';
import { readTestbed, TESTBED_DIR, type Testbed } from '../../test/helpers/testbed-file.js';

export type { Testbed, TestbedNode } from '../../test/helpers/testbed-file.js';

/** Nodes the ssh-* scenarios use (n1..n3). */
export const BENCH_NODES = 3;

export type TestbedStatus = { up: true; dir: string } | { up: false; reason: string };

/** How the runner hands the status to the scenario processes. */
const STATUS_ENV = 'MARVELO_BENCH_TESTBED';

/** How many processes the bed's test user has (sessions, workers) on any node; 0 when it cannot tell. */
function testUserProcesses(): number {
  const bed = readTestbed(TESTBED_DIR);
  if (bed === undefined) return 0;
  try {
    // zombies do not count: where nothing reaps orphans, a finished run's processes stay ones
    const states = execFileSync('ps', ['-o', 'stat=', '-u', String(bed.uid)], { encoding: 'utf8' }).trim().split('\n');
    return states.filter((s) => s !== '' && !s.startsWith('Z')).length;
  } catch {
    return 0; // ps exits 1 when the user has no process
  }
}

/** testUserProcesses() once our own runs' remote processes have had up to 2 s to finish exiting. */
function settledTestUserProcesses(): number {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  let n = testUserProcesses();
  for (let i = 0; i < 20 && n > 0; i++) {
    Atomics.wait(pause, 0, 0, 100); // release() is synchronous (it also runs from a signal handler)
    n = testUserProcesses();
  }
  return n;
}

/** A bed that answers and is not the leftover of a run that died (by hand: no owner file). */
function inUse(): boolean {
  if (runTestbedScript('status') !== undefined) return false;
  return !existsSync(TESTBED_OWNER) || ownerAlive();
}

function usable(dir: string): TestbedStatus {
  const bed = readTestbed(dir);
  if (bed === undefined) return { up: false, reason: `the SSH test-bed is not up (${dir}/testbed.json is missing)` };
  if (bed.nodes.length < BENCH_NODES) return { up: false, reason: `the SSH test-bed is up (in use) with ${bed.nodes.length} node(s); the ssh-* scenarios need ${BENCH_NODES}` };
  return { up: true, dir };
}

export interface AcquiredTestbed {
  status: TestbedStatus;
  /** Takes the bed down if this process brought it up; otherwise does nothing. */
  release(): void;
}

/** Uses the bed that is up, or brings one up with BENCH_NODES nodes (the runner's side). */
export function acquireTestbed(log: (m: string) => void): AcquiredTestbed {
  const none = { release: () => {} };
  const reason = cannotBuildTestbed('the bench');
  if (reason !== undefined) return { status: { up: false, reason }, ...none };
  if (inUse()) {
    log(`SSH test-bed: using the one that is up (${TESTBED_DIR}); it stays up`);
    return { status: usable(TESTBED_DIR), ...none };
  }
  const started = Date.now();
  const failure = runTestbedScript('up', String(BENCH_NODES));
  if (failure !== undefined) return { status: { up: false, reason: `the SSH test-bed could not be built: ${failure}` }, ...none };
  writeFileSync(TESTBED_OWNER, String(process.pid));
  log(`SSH test-bed: brought up ${BENCH_NODES} nodes in ${((Date.now() - started) / 1000).toFixed(1)} s; taken down at the end`);
  let released = false;
  return {
    status: usable(TESTBED_DIR),
    release: () => {
      if (released) return;
      released = true;
      // rebuilt by someone else meanwhile (their owner file): theirs to take down
      const owner = existsSync(TESTBED_OWNER) ? readFileSync(TESTBED_OWNER, 'utf8').trim() : '';
      if (owner !== String(process.pid)) return log('SSH test-bed: rebuilt by someone else meanwhile; left up');
      // our runs are over: a process of the test user is someone else's session (a test run that reused
      // the bed while we owned it). Leave it up; the next `up` (a dead owner's bed) rebuilds it anyway.
      const users = settledTestUserProcesses();
      if (users > 0) return log(`SSH test-bed: ${users} process(es) of its test user still running (someone else is using it); left up`);
      const failed = runTestbedScript('down');
      log(failed === undefined ? 'SSH test-bed: taken down' : `SSH test-bed: scripts/testbed.sh down failed: ${failed}`);
    },
  };
}

/** The environment for a scenario process, carrying the runner's outcome. */
export function testbedEnv(status: TestbedStatus): Record<string, string> {
  return { [STATUS_ENV]: JSON.stringify(status) };
}

/**
 * The scenario process's side: the bed the runner prepared, or why there is none. Without the runner
 * (a scenario started by hand), a bed that is up is used and none is built.
 */
export function benchTestbed(): { bed: Testbed; reason?: undefined } | { bed?: undefined; reason: string } {
  const passed = process.env[STATUS_ENV];
  const status: TestbedStatus = passed !== undefined ? (JSON.parse(passed) as TestbedStatus) : cannotBuildTestbed('the bench') !== undefined ? { up: false, reason: cannotBuildTestbed('the bench')! } : usable(TESTBED_DIR);
  if (!status.up) return { reason: status.reason };
  const bed = readTestbed(status.dir);
  return bed === undefined ? { reason: `the SSH test-bed is gone: ${status.dir}/testbed.json is missing` } : { bed };
}
