#!/usr/bin/env node
/**
 * A worker: one OS process per job. Its stdin/stdout are the control channel to the client (locally a
 * pipe, remotely an SSH exec channel); when that channel closes, the worker exits, so no worker outlives
 * its client. A job can hold the event loop forever: then its launcher's keeper (src/launch/keeper.ts)
 * kills the worker when the client dies.
 * Lifecycle: init -> ready (listening) -> connect (dial outputs) -> connected -> start -> ... ->
 * finished | failed, then exit.
 */
import { ControlChannel } from '../control/channel.js';
import { rmSync } from 'node:fs';
import type { ClientMessage, RunInfo, WorkerMessage } from '../control/messages.js';
import { argValue, JOB_GLOBAL, TEMP_RUN_DIR_ARG } from '../launch/worker-args.js';
import { applyWorkerV8Flags } from '../launch/worker-flags.js';
import { captureStdio } from './stdio.js';
import { Worker } from './worker.js';

applyWorkerV8Flags();

const stdio = captureStdio((stream, lines) => channel.send({ type: 'log', stream, lines }));

let worker: Worker | undefined;
let run: RunInfo | undefined;
let stopped = false;

const channel: ControlChannel<ClientMessage, WorkerMessage> = new ControlChannel<ClientMessage, WorkerMessage>(
  process.stdin,
  { write: (chunk) => stdio.writeControl(chunk) },
  (msg) => {
    if (msg.type === 'init') {
      run = msg.run;
      // a prestarted worker has no JOB_ARG
      (globalThis as Record<symbol, unknown>)[JOB_GLOBAL] = msg.job.spec.name;
      worker = new Worker(msg.run, msg.job, (m) => channel.send(m), exit);
      worker.init().catch((err) => worker!.reportFailure(err, 'load'));
    } else if (msg.type === 'stop') {
      stopped = true;
      stdio.flush(); // what the job printed goes out before the final counts
      worker?.stop();
      exit(0);
    } else {
      worker?.onControl(msg);
    }
  },
  () => channelClosed(),
  // the client sent something that is not a control message: nothing sensible can follow
  () => exit(1),
);
// The client closed its end of the channel while we wrote to it.
process.stdout.on('error', () => channelClosed());

/**
 * The channel closed: the client stopped the run ('stop' came first), or the client is gone (killed):
 * then nobody else will remove the run's temporary folder (its workers all get here; rm is idempotent).
 */
function channelClosed(): void {
  const tempDir = run === undefined ? argValue(process.argv, TEMP_RUN_DIR_ARG) : run.dirIsTemporary ? run.dir : undefined;
  if (!stopped && tempDir !== undefined) {
    try {
      rmSync(tempDir, { recursive: true, force: true });
    } catch {
      // another worker is removing it too
    }
  }
  exit(0);
}

// Ctrl-C in the client's terminal reaches the whole process group: the client decides when we stop.
process.on('SIGINT', () => {});
process.on('uncaughtException', (err) => onUncaught(err));
process.on('unhandledRejection', (err) => onUncaught(err));

function onUncaught(err: unknown): void {
  if (worker) worker.reportFailure(err, 'run');
  else {
    process.stderr.write(String(err instanceof Error ? err.stack : err) + '\n');
    exit(1);
  }
}

function exit(code: number): void {
  stdio.flush();
  worker?.dispose();
  process.exit(code);
}
