import type { Readable, Writable } from 'node:stream';

export interface WorkerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
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
}

export interface LaunchRequest {
  job: string;
  runId: string;
  /** Working directory of the job on its node. */
  cwd: string;
  env: Record<string, string>;
}

export interface Launcher {
  readonly node: string;
  launch(req: LaunchRequest): Promise<WorkerHandle>;
  /** Every worker of the run has been launched: let go of what was kept for launches (LocalLauncher's spares). */
  release?(): Promise<void>;
}
