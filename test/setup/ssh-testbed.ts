/**
 * Vitest global setup of the `ssh` project: brings the SSH test-bed up once (scripts/testbed.sh up) and
 * down at the end. A bed that is already up (someone ran `sudo scripts/testbed.sh up`, or another test
 * run is using it) is used as it is and left up; the leftover of a test run that died is rebuilt.
 * When this machine cannot build it, the tests learn why in one line (testbedSkipReason), unless
 * MARVELO_TESTBED=required (CI), which makes that a failure.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { TESTBED_DIR } from '../helpers/testbed-file.js';
import type { TestbedStatus } from '../helpers/testbed.js';

const SCRIPT = fileURLToPath(new URL('../../scripts/testbed.sh', import.meta.url));
const STATE = TESTBED_DIR;

/** Why this machine cannot build the test-bed, or undefined when it can. */
function cannotBuild(): string | undefined {
  if (process.env.MARVELO_TESTBED === 'off') return 'the SSH test-bed is turned off (MARVELO_TESTBED=off)';
  if (process.getuid?.() !== 0) return 'the SSH test-bed needs root (network namespaces): run the tests as root';
  if (!onPath('ip')) return 'the SSH test-bed needs the `ip` command (iproute2)';
  if (!onPath('unshare')) return 'the SSH test-bed needs the `unshare` command (util-linux)';
  if (!existsSync('/usr/sbin/sshd')) return 'the SSH test-bed needs /usr/sbin/sshd (install openssh-server)';
  return undefined;
}

function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(':').some((dir) => dir !== '' && existsSync(join(dir, command)));
}

/** Runs the script; undefined on success, else its last line of error output. */
function runScript(...args: string[]): string | undefined {
  try {
    execFileSync('bash', [SCRIPT, ...args], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
    return undefined;
  } catch (err) {
    const { stderr, message } = err as { stderr?: string; message: string };
    const lines = (stderr ?? '').trim().split('\n').filter(Boolean);
    return lines.at(-1) ?? message;
  }
}

const OWNER = join(STATE, 'owner');

/** A bed that is up and not the leftover of a test run that died (those are rebuilt, and taken down). */
function reusable(): boolean {
  if (runScript('status') !== undefined) return false;
  if (!existsSync(OWNER)) return true; // brought up by hand
  return alive(Number(readFileSync(OWNER, 'utf8'))); // another test run's, still running
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export default function setup(project: TestProject): (() => void) | undefined {
  const provide = (status: TestbedStatus) => {
    // CI has everything: there a test-bed that cannot be built fails the run instead of skipping its tests
    if (!status.up && process.env.MARVELO_TESTBED === 'required') throw new Error(`MARVELO_TESTBED=required, but ${status.reason}`);
    project.provide('testbed', status);
  };
  const reason = cannotBuild();
  if (reason !== undefined) {
    provide({ up: false, reason });
    return undefined;
  }
  if (reusable()) {
    provide({ up: true, dir: STATE });
    return undefined;
  }
  const failure = runScript('up');
  if (failure !== undefined) {
    provide({ up: false, reason: `the SSH test-bed could not be built: ${failure}` });
    return undefined;
  }
  writeFileSync(OWNER, String(process.pid));
  provide({ up: true, dir: STATE });
  return () => {
    const failed = runScript('down');
    if (failed !== undefined) console.warn(`scripts/testbed.sh down failed: ${failed}`);
  };
}
