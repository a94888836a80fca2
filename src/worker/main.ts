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
import type { ClientMessage, WorkerMessage } from '../control/messages.js';
import { JOB_GLOBAL } from './boot/args.js';
import { applyWorkerV8Flags } from './boot/v8-flags.js';
import { captureStdio } from './stdio.js';
import { Worker } from './worker.js';

applyWorkerV8Flags();

const stdio = captureStdio((stream, lines) => channel.send({ type: 'log', stream, lines }));

let worker: Worker | undefined;

const channel: ControlChannel<ClientMessage, WorkerMessage> = new ControlChannel<ClientMessage, WorkerMessage>(
  process.stdin,
  { write: (chunk) => stdio.writeControl(chunk) },
  (msg) => {
    if (msg.type === 'init') {
      // a prestarted worker has no JOB_ARG
      (globalThis as Record<symbol, unknown>)[JOB_GLOBAL] = msg.job.spec.name;
      worker = new Worker(msg.run, msg.job, (m) => channel.send(m), exit);
      worker.init().catch((err) => worker!.reportFailure(err, 'load'));
    } else if (msg.type === 'stop') {
      stdio.flush(); // what the job printed goes out before the final counts
      worker?.stop();
      exit(0);
    } else {
      worker?.onControl(msg);
    }
  },
  // The client stopped the run ('stop' came first), or it is gone: its launcher's keeper removes the
  // run's temporary folder.
  () => exit(0),
  // the client sent something that is not a control message: nothing sensible can follow
  () => exit(1),
);
// The client closed its end of the channel while we wrote to it.
process.stdout.on('error', () => exit(0));


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
