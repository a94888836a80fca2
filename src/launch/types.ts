import type { Readable, Writable } from 'node:stream';
import type { JobShipment } from './shipment.js';

export interface WorkerExit {
  /** Both null: the worker's node or the connection to it was lost. */
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Why the worker's node or connection was lost, when the launcher knows. */
  lost?: string;
}

/**
 * A running worker, however it was started. The control channel is the worker's stdin/stdout:
 * a launcher only has to provide that duplex byte stream (a local pipe, an SSH exec channel, ...).
 */
export interface WorkerHandle {
  readonly job: string;
  readonly node: string;
  readonly pid: number | undefined;
  /** Control messages from the worker. */
  readonly output: Readable;
  /** Control messages to the worker; ending it makes the worker exit. */
  readonly input: Writable;
  /** The worker's raw stderr (crashes before the control channel is up). */
  readonly stderr: Readable;
  readonly exited: Promise<WorkerExit>;
  kill(signal?: NodeJS.Signals): void;
  /**
   * The worker's program leads process group `pgid` (an executable job): from now on the group dies
   * with the client, as the worker's own does (the launcher's keeper).
   */
  watchGroup?(pgid: number): void;
  /** Kills a watched group now (its worker died and could not) and stops watching it. */
  killGroup?(pgid: number): void;
  /** The worker ended its group itself: stop watching it (the number may be reused). */
  forgetGroup?(pgid: number): void;
}

export interface LaunchRequest {
  job: string;
  runId: string;
  /** Working directory of the worker on its node. */
  cwd: string;
  env: Record<string, string>;
  /** Node flags of this worker before its entry script (a memory limit's heap cap); none: []. */
  nodeArgs?: string[];
}

/** A job's files on its node, once its launcher prepared them. */
export interface PreparedJob {
  /** The job module's bundle. */
  bundle: string | undefined;
  /** Custom codec bundles, by pipe. */
  codecBundles: Record<string, string>;
  /** The program, for a program given by path. */
  program: string | undefined;
  /** The job's folder, its dependencies in it. */
  folder: string;
  /** Where the worker runs. */
  cwd: string;
}

/** A run made ready on one node. */
export interface PreparedRun {
  /** The run's folder on the node: sockets, FIFOs and job folders. */
  dir: string;
  /** The address the node's TCP listeners bind, which the other nodes dial. */
  dataHost: string;
  jobs: Map<string, PreparedJob>;
}

/** Starts workers on one node. The local and the SSH launcher are its two implementations. */
export interface Launcher {
  readonly node: string;
  /** Puts what the jobs need on the node (shipping what is missing) and makes the run's folder there. */
  prepare(runId: string, shipments: readonly JobShipment[]): Promise<PreparedRun>;
  launch(req: LaunchRequest): Promise<WorkerHandle>;
  /** Every worker of the run has been launched: let go of what was kept for launches (LocalLauncher's spares). */
  release?(): Promise<void>;
  /** The run is over and its workers exited: remove the run's folder on the node and disconnect. */
  close(): Promise<void>;
  /** The client is about to exit: end every worker now, without waiting. */
  kill(): void;
}
