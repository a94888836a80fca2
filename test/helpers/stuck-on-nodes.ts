/**
 * The jobs of a network stuck in synchronous loops on two test-bed nodes (src on n1, sink on n2): once
 * src prints "spinning", neither can see its control channel close. Both see one mark file, as the
 * test-bed's nodes share one file system.
 */
import { chmodSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ROOT } from './cli.js';
import { tempDir } from './temp-dir.js';

const FIXTURE_JOBS = join(ROOT, 'test', 'fixtures', 'run', 'jobs.ts');

/** The job lines of the network file (`  - ` each). */
export function jobsStuckOnNodes(): string[] {
  const mark = join(tempDir(), 'spinning');
  chmodSync(dirname(mark), 0o777);
  const env = `env: { SPIN_MARK: ${mark} }`;
  return [
    `{ name: src, uses: ${FIXTURE_JOBS}#SpinsAfterItsSink, outputs: [a], default_node: n1, ${env} }`,
    `{ name: sink, uses: ${FIXTURE_JOBS}#Spin, inputs: [a], default_node: n2, ${env} }`,
  ];
}
