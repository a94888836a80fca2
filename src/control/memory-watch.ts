/**
 * A job's `limits: { memory }` as the client enforces it where no cgroup does: its worker's V8 heap is
 * capped a little under the limit, and its resident memory (RSS, in every metrics report) is compared
 * with the limit; a worker over it is killed. Both end as MRV_JOB_OOM (reason OOMKilled in the record).
 */
import { formatBytes } from '../config/quantity.js';
import type { JobSpec } from '../config/types.js';
import type { JobFailure } from './messages.js';

const MiB = 1024 * 1024;
/** What V8 prints to stderr when its heap cannot grow any more. */
const HEAP_OOM_LINE = 'JavaScript heap out of memory';
/** The smallest old-space cap given to V8, whatever the limit. */
const MIN_HEAP_MIB = 16;

/**
 * Node flags for the job's worker: `--max-old-space-size` at 3/4 of the memory limit (in MiB), which
 * leaves room for the rest of the process (code, stacks, Buffers), so the heap runs out with a message
 * before the RSS watch kills the worker without one.
 */
export function heapLimitArgs(spec: Pick<JobSpec, 'limits'>): string[] {
  const bytes = spec.limits?.memoryBytes;
  if (bytes === undefined) return [];
  return [`--max-old-space-size=${Math.max(MIN_HEAP_MIB, Math.floor((bytes * 3) / 4 / MiB))}`];
}

/** The failure of a job whose worker reported `rss` bytes, over its memory limit; undefined while under it. */
export function overMemoryLimit(spec: Pick<JobSpec, 'name' | 'limits'>, rss: number, node: string): JobFailure | undefined {
  const limit = spec.limits?.memoryBytes;
  if (limit === undefined || rss <= limit) return undefined;
  return oomFailure(spec.name, `its worker on node '${node}' used ${(rss / MiB).toFixed(1)} MiB of resident memory (RSS), over its memory limit of ${formatBytes(limit)}, and was killed`);
}

/** A limited job's worker that died of V8's heap running out (its last stderr lines say so) as MRV_JOB_OOM. */
export function heapRanOut(spec: Pick<JobSpec, 'name' | 'limits'>, lastStderr: readonly string[], node: string): JobFailure | undefined {
  const limit = spec.limits?.memoryBytes;
  if (limit === undefined || !lastStderr.some((line) => line.includes(HEAP_OOM_LINE))) return undefined;
  return oomFailure(spec.name, `its worker on node '${node}' ran out of JavaScript heap, capped under its memory limit of ${formatBytes(limit)}`);
}

function oomFailure(job: string, what: string): JobFailure {
  return {
    message: `job '${job}' was OOMKilled: ${what}`,
    stack: undefined,
    code: 'MRV_JOB_OOM',
    hint: "raise the job's limits.memory, or make it hold less (release big arrays and Buffers between calls)",
    phase: 'run',
  };
}
