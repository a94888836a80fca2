/**
 * Vitest global setup of the `ssh` project: brings the SSH test-bed up once (scripts/testbed.sh up) and
 * down at the end. A bed that is already up (someone ran `sudo scripts/testbed.sh up`, or another test
 * run is using it) is used as it is and left up; the leftover of a test run that died is rebuilt.
 * When this machine cannot build it, the tests learn why in one line (testbedSkipReason), unless
 * MARVELO_TESTBED=required (CI), which makes that a failure.
 */
import { existsSync, writeFileSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { cannotBuildTestbed, ownerAlive, runTestbedScript, TESTBED_OWNER } from '../helpers/testbed-control.js';
import { TESTBED_DIR } from '../helpers/testbed-file.js';
import type { TestbedStatus } from '../helpers/testbed.js';

const STATE = TESTBED_DIR;

/** A bed that is up and not the leftover of a test run that died (those are rebuilt, and taken down). */
function reusable(): boolean {
  if (runTestbedScript('status') !== undefined) return false;
  return !existsSync(TESTBED_OWNER) || ownerAlive(); // brought up by hand, or by another test run still running
}

export default function setup(project: TestProject): (() => void) | undefined {
  const provide = (status: TestbedStatus) => {
    // CI has everything: there a test-bed that cannot be built fails the run instead of skipping its tests
    if (!status.up && process.env.MARVELO_TESTBED === 'required') throw new Error(`MARVELO_TESTBED=required, but ${status.reason}`);
    project.provide('testbed', status);
  };
  const reason = cannotBuildTestbed('the tests');
  if (reason !== undefined) {
    provide({ up: false, reason });
    return undefined;
  }
  if (reusable()) {
    provide({ up: true, dir: STATE });
    return undefined;
  }
  const failure = runTestbedScript('up');
  if (failure !== undefined) {
    provide({ up: false, reason: `the SSH test-bed could not be built: ${failure}` });
    return undefined;
  }
  writeFileSync(TESTBED_OWNER, String(process.pid));
  provide({ up: true, dir: STATE });
  return () => {
    const failed = runTestbedScript('down');
    if (failed !== undefined) console.warn(`scripts/testbed.sh down failed: ${failed}`);
  };
}
