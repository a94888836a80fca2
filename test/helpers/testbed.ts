/**
 * The SSH test-bed (scripts/testbed.sh) as the tests see it: real sshd nodes in network namespaces,
 * brought up once by the vitest global setup of the `ssh` project (test/setup/ssh-testbed.ts).
 * Namespaces share the file system and the process table, so a test reads a node's folders and
 * processes directly on this machine.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { inject, it } from 'vitest';
import { processesOfUserWith } from './process-table.js';
import { readTestbed, type Testbed } from './testbed-file.js';

export { nodeSpec, readTestbed, type Testbed, type TestbedNode } from './testbed-file.js';

/** What the global setup hands to the test files. */
export type TestbedStatus = { up: true; dir: string } | { up: false; reason: string };

declare module 'vitest' {
  export interface ProvidedContext {
    testbed: TestbedStatus;
  }
}

let cached: { bed: Testbed | undefined; reason: string | undefined } | undefined;

function load(): { bed: Testbed | undefined; reason: string | undefined } {
  const status = inject('testbed');
  if (status === undefined) {
    const reason = 'the SSH test-bed is brought up only for the files under test/ssh/ (vitest project "ssh")';
    return { bed: undefined, reason };
  }
  if (!status.up) return { bed: undefined, reason: status.reason };
  const bed = readTestbed(status.dir);
  if (!bed) return { bed: undefined, reason: `the SSH test-bed is gone: ${status.dir}/testbed.json is missing` };
  return { bed, reason: undefined };
}

/** The test-bed, or undefined when this machine could not build it (see testbedSkipReason). */
export function testbed(): Testbed | undefined {
  cached ??= load();
  return cached.bed;
}

/** One line saying why the test-bed is not available, or undefined when it is up. */
export function testbedSkipReason(): string | undefined {
  cached ??= load();
  return cached.reason;
}

/**
 * Call once at the top of a file that uses the test-bed: when it is not available, says why in one line
 * (a warning, and a skipped test named after the reason), so a skip is never silent.
 * Then `describe.skipIf(!testbed())(...)`.
 */
export function announceTestbedSkip(): void {
  const reason = testbedSkipReason();
  if (reason === undefined) return;
  console.warn(`skipped: ${reason}`);
  it.skip(`needs the SSH test-bed: ${reason}`, () => {});
}

/** PIDs of live processes of the test user whose command line contains the run id, on any node. */
export function processesOfRun(runId: string): number[] {
  const bed = testbed();
  if (!bed) throw new Error('processesOfRun needs the SSH test-bed');
  return processesOfUserWith(bed.uid, runId);
}

/** The paths `<root>/runs/*` (one folder per run on that node), sorted; [] when there is none. */
export function runFolders(root: string): string[] {
  const runs = join(root, 'runs');
  return existsSync(runs) ? readdirSync(runs).sort().map((name) => join(runs, name)) : [];
}
