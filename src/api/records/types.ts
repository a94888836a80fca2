import type { PlacedJob, PlannedPipe } from '../../plan/types.js';
import type { HookOutcome } from '../hooks.js';
import type { RunSummary } from '../summary.js';
import type { EffectiveConfig } from './snapshot.js';
import type { RunOverrides } from '../../config/overrides.js';

/** `timed_out`: the network's `timeout:` ran out (reason DeadlineExceeded). */
export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'timed_out';
export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
export type RunTrigger = 'cli' | 'api' | 'schedule';

export const TERMINAL: ReadonlySet<RunStatus> = new Set(['succeeded', 'failed', 'cancelled', 'timed_out']);

export interface JobRecord {
  job: string;
  /** Where it ran: a node's name, or 'local' (the client's machine). */
  node: string | undefined;
  pid: number | undefined;
  state: JobState;
  startedAt: string | undefined;
  finishedAt: string | undefined;
  /** How its worker process ended (both null: its node or the connection to it was lost). */
  exit: { code: number | null; signal: string | null } | undefined;
  /** Workers the job had: 1, plus one per restart (`on_failure: restart`). */
  attempts: number;
  /** Each restart: where the job failed and why, and whether its state was lost (its class is not STATELESS). */
  restarts: JobRestart[];
}

export interface JobRestart {
  at: string;
  /** The node it failed on, and the node it runs on again (once restarted). */
  from: string;
  to: string | undefined;
  /** `JobExit(<code>|<signal>)`, `NodeLost`, or the failure's error code. */
  reason: string;
  message: string;
  stateLost: boolean;
}

/** run.json: what a run was, where it ran and how it ended. Times are ISO 8601 UTC. */
export interface RunRecord {
  marvelo: 'run';
  version: 1;
  id: string;
  network: {
    /** Absolute path of the network file. */
    file: string;
    /** The network's name (once the file loaded). */
    name: string | undefined;
    /** sha256 of the file's bytes when the run started. */
    sha256: string;
  };
  trigger: RunTrigger;
  /** The run's overrides of the file's values (`--set`, `--env`, ...), as given; `config` is the effective result. */
  overrides?: RunOverrides;
  /** The process that ran it: while its status is not final, a dead client means it was lost. */
  client: { pid: number; host: string };
  status: RunStatus;
  /** Why it ended: `Cancelled`, `DeadlineExceeded`, `JobExit(<code>|<signal>)`, `NodeLost`, `ClientLost`, or the failure's error code. */
  reason: string | undefined;
  acceptedAt: string;
  startedAt: string | undefined;
  finishedAt: string | undefined;
  /** The first failure: the job, its error code and message. */
  failure: { job: string | undefined; code: string | undefined; message: string; hint: string | undefined } | undefined;
  /** The resolved network (once loaded). */
  config: EffectiveConfig | undefined;
  /** The plan (once placed): each job's node and why, each pipe's transport. */
  placement: { jobs: PlacedJob[]; pipes: PlannedPipe[] } | undefined;
  jobs: JobRecord[];
  /** Attempts of the whole network: 1, plus one per retry (the network's `max_retries`). */
  attempts: number;
  /** The run's summary (once it ended after starting). */
  summary: RunSummary | undefined;
  /** Each hook run after the run ended (`hooks:`), in order; absent when none ran. */
  hooks?: HookOutcome[];
}
