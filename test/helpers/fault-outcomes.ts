/** What the fault matrices expect of a run whose worker was killed with SIGKILL (policy `on_failure: stop`). */
import type { RunStatus } from '../../src/api/records/types.js';

export function killedWorkerOutcome(job: string, node: string) {
  return {
    exit: 1 as const,
    error: new RegExp(`error: job '${job}' failed during worker: MRV_LAUNCH_WORKER the worker on node '${node}' was killed by SIGKILL before it finished`),
    status: 'failed' as RunStatus,
    reason: 'JobExit(SIGKILL)',
    failure: { job, code: 'MRV_LAUNCH_WORKER' },
    event: { type: 'job-exited', job, node, code: null, signal: 'SIGKILL' },
  };
}
