import type { WorkerHandle } from '../launch/types.js';
import type { Address } from '../wire/types.js';
import type { ControlChannel } from './channel.js';
import type { ClientMessage, WorkerMessage, WorkerStats } from './messages.js';

/** The supervisor's record of one worker of a job. */
export interface Worker {
  job: string;
  /** 0 for the job's first worker, n for its n-th restart. */
  attempt: number;
  /** A newer worker of the job took over (a restart): this one's exit and failures no longer count. */
  replaced: boolean;
  handle: WorkerHandle;
  channel: ControlChannel<WorkerMessage, ClientMessage>;
  listen: Address[];
  stats: WorkerStats | undefined;
  /** `stats` are the worker's final counters (finished, failed or stopped), not the last periodic ones. */
  finalStats: boolean;
  /** The job was told to start: before that it has counted nothing. */
  started: boolean;
  state: 'starting' | 'ready' | 'connected' | 'finished' | 'failed' | 'exited';
  lastStderr: string[];
  /** The worker exited and its last control messages were read. */
  settled: Promise<void>;
  /** The worker's process has exited (its last messages may still be on the way). */
  processExited: boolean;
  /** The process group of the job's program (executable jobs) while the worker may have left it running. */
  childGroup: number | undefined;
}
