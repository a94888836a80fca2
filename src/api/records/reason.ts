import type { JobFailure } from '../../control/messages.js';

/**
 * A failure's reason in the record: a worker that died is `JobExit(<code>)` or `JobExit(<signal>)`, or
 * `NodeLost` when its node or the connection to it went; any other failure is its error code
 * (MRV_JOB_FAILED: the job's own code threw).
 */
export function failureReason(failure: Pick<JobFailure, 'code'>, exit: { code: number | null; signal: string | null } | undefined): string {
  if (failure.code === 'MRV_LAUNCH_WORKER' && exit) {
    if (exit.signal) return `JobExit(${exit.signal})`;
    if (exit.code === null) return 'NodeLost';
    return `JobExit(${exit.code})`;
  }
  // Kubernetes' name for a container killed over its memory limit
  if (failure.code === 'MRV_JOB_OOM') return 'OOMKilled';
  // Kubernetes' name for a job that failed more often than its retries allow
  if (failure.code === 'MRV_JOB_RESTARTS') return 'BackoffLimitExceeded';
  return failure.code ?? 'MRV_JOB_FAILED';
}
