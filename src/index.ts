/** The public API of marvelo: what jobs and programs import from 'marvelo'. */
export { ScriptJob } from './jobs/script-job.js';
export type { ScriptJobClass } from './jobs/script-job.js';
export { ExecutableJob, MARVELOJob, isExecutableJobClass } from './jobs/executable-job.js';
export type { ExecutableJobClass } from './jobs/executable-job.js';
export { out, Outputs } from './jobs/outputs.js';
export type { PortType } from './jobs/ports.js';
export { Head } from './sync/head.js';
export { MarveloError, MarveloErrors, formatError } from './errors.js';
export type { ErrorCode } from './errors.js';
export type { Network, JobSpec, PipeSpec, NodeSpec, CodecSpec, Resources } from './config/types.js';
export { loadNetwork, validateNetwork, loadNodes, networkJsonSchema } from './config/index.js';
export { place, LOCAL_NODE } from './plan/place.js';
export type { PlanOptions } from './plan/place.js';
export type { Plan, PlacedJob, PlannedPipe } from './plan/types.js';
export type { LoadedNetwork, LoadOptions, ValidationResult } from './config/index.js';
export { run, startRun } from './api/run.js';
export type { RunOptions, RunResult, RunHandle, RunEvent } from './api/run.js';
export type { RunSummary, PipeSummary, JobSummary } from './api/summary.js';
