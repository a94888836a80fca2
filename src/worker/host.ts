import type { PipeSpec } from '../config/types.js';
import type { RunInfo } from '../control/messages.js';
import type { RoundAssembler } from '../sync/round-assembler.js';
import type { OptionalInput } from '../sync/optional-input.js';
import type { InputPort } from './input-port.js';
import type { OutputPort } from './output-port.js';
import type { JobSpec } from '../config/types.js';

/** Where run()'s argument p comes from: a sync input (assembled rounds) or an optional one. */
export type ArgSource = { sync: number; grouped: boolean } | { optional: number };

export interface HostCallbacks {
  failed(err: unknown, phase: 'setup' | 'run' | 'wire'): void;
  finished(): void;
}

/** Everything a host needs to drive a job; built once by the worker. */
export interface HostContext {
  spec: JobSpec;
  run: RunInfo;
  /** The job's folder on this node, with its dependencies (WorkerJob.folder). */
  folder: string;
  inputs: PipeSpec[];
  outputs: PipeSpec[];
  syncPorts: InputPort[];
  assembler: RoundAssembler<unknown> | undefined;
  optionalPorts: InputPort[];
  optionals: OptionalInput<unknown>[];
  outputPorts: OutputPort[];
  /** One entry per input, in spec.inputs order. */
  argSources: ArgSource[];
  callbacks: HostCallbacks;
}

/**
 * Drives one job inside a worker: a ScriptJob in-process (JobHost) or an executable as a child
 * process (ExecHost), both on HostLifecycle. The worker's ports call these as data, credit and ends arrive.
 */
export interface Host {
  /** Rounds run so far (metrics). */
  readonly rounds: number;
  /** SQN of the last round whose run() completed and whose outputs went to the output ports (a source: of its last value); 0 before any. */
  readonly roundsDoneThrough: number;
  /**
   * When (Date.now()) the job started waiting for an async run() to settle, or a source for its next
   * value; 0 when it is not waiting (or has no `timeout:`, which is all this is for). A synchronous
   * call needs no mark: it stops the metrics themselves.
   */
  readonly busySince: number;
  /** The job's child process, if it has one (executables): logging samples measure it too. */
  readonly childPid?: number | undefined;
  /** The last SQN of sync input `i` that is processed: the input acknowledges through it (restartable pipes). */
  processedThrough(i: number): number;
  start(): void;
  /**
   * A block of a sync input was decoded: run the job on it now if it is the next round on its own
   * (RoundAssembler.takeInOrder) and the job can run at once. false: queue it in the assembler.
   */
  runNow(sqn: number, wireHead: number, value: unknown): boolean;
  /** Blocks reached the assembler. */
  onInput(): void;
  /** A value reached an optional input. */
  onOptionalInput(): void;
  /** Credit arrived on an output, or a consumer closed. */
  onOutputChange(): void;
  /** An input stream ended. */
  onInputEnd(): void;
  /** The worker is exiting: release child processes and files. */
  dispose(): void;
}
