/**
 * Bringing the SSH test-bed up and down (scripts/testbed.sh), without vitest: the tests' global set-up
 * and the benchmarks share it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/paths.js';
import { TESTBED_DIR } from './testbed-file.js';

const SCRIPT = join(packageRoot(), 'scripts', 'testbed.sh');

/** The pid of whoever brought the bed up: a live owner's bed is in use. */
export const TESTBED_OWNER = join(TESTBED_DIR, 'owner');

/** Why this machine cannot build the test-bed, or undefined when it can. `who`: "the tests", "the bench". */
export function cannotBuildTestbed(who: string): string | undefined {
  if (process.env.MARVELO_TESTBED === 'off') return 'the SSH test-bed is turned off (MARVELO_TESTBED=off)';
  if (process.getuid?.() !== 0) return `the SSH test-bed needs root (network namespaces): run ${who} as root`;
  if (!onPath('ip')) return 'the SSH test-bed needs the `ip` command (iproute2)';
  if (!onPath('unshare')) return 'the SSH test-bed needs the `unshare` command (util-linux)';
  if (!existsSync('/usr/sbin/sshd')) return 'the SSH test-bed needs /usr/sbin/sshd (install openssh-server)';
  return undefined;
}

function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(':').some((dir) => dir !== '' && existsSync(join(dir, command)));
}

/** Runs scripts/testbed.sh; undefined on success, else its last line of error output. */
export function runTestbedScript(...args: string[]): string | undefined {
  try {
    execFileSync('bash', [SCRIPT, ...args], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
    return undefined;
  } catch (err) {
    const { stderr, message } = err as { stderr?: string; message: string };
    return (stderr ?? '').trim().split('\n').filter(Boolean).at(-1) ?? message;
  }
}

/** The bed's owner file names a process that still runs. */
export function ownerAlive(): boolean {
  if (!existsSync(TESTBED_OWNER)) return false;
  try {
    process.kill(Number(readFileSync(TESTBED_OWNER, 'utf8')), 0);
    return true;
  } catch {
    return false;
  }
}
