/** The public API of marvelo: what jobs and programs import from 'marvelo'. */
export { ScriptJob } from './jobs/script-job.js';
export type { ScriptJobClass } from './jobs/script-job.js';
export { out, Outputs } from './jobs/outputs.js';
export type { PortType } from './jobs/ports.js';
export { Head } from './sync/head.js';
export { MarveloError, MarveloErrors, formatError } from './errors.js';
export type { ErrorCode } from './errors.js';
export type { Network, JobSpec, PipeSpec, NodeSpec, CodecSpec } from './config/types.js';
