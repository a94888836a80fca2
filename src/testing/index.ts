/**
 * marvelo/testing: run a job (testJob) or a small network (testNetwork) in real workers on blocks the
 * test gives, and look at what came out. docs/testing-jobs.md.
 */
export { block, TestBlock } from './block.js';
export type { BlockOptions, CollectedBlock } from './block.js';
export { testJob } from './test-job.js';
export { DEFAULT_TIMEOUT_MS } from './harness-run.js';
export type { TestJobOptions, TestJobResult, OptionalOptions, PipeOptions } from './test-job.js';
export type { JobError, PrintedLine } from './harness-run.js';
export { testNetwork } from './test-network.js';
export type { TestNetworkOptions, TestNetworkResult } from './test-network.js';
