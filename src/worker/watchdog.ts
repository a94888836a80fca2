import { SHARE_ENV, Worker as Thread } from 'node:worker_threads';

/** How often the watchdog looks at the worker's parent (ms). */
const CHECK_MS = 200;

/**
 * How long the watchdog leaves a worker whose event loop is free to exit by itself once its parent is
 * gone (ms): that worker has seen its control channel close, and ends an executable job's program on
 * its way out.
 */
const GRACE_MS = 500;

/**
 * The thread's code, plain CommonJS evaluated as is: the thread loads no module of ours. It sleeps in
 * Atomics.wait, which needs no event loop, so it runs whatever the main thread does.
 */
const THREAD_CODE = `
const { workerData, parentPort, receiveMessageOnPort } = require('node:worker_threads');
const { rmSync } = require('node:fs');
const { parentPid, checkMs, graceMs } = workerData;
const sleep = new Int32Array(new SharedArrayBuffer(4));
while (process.ppid === parentPid) Atomics.wait(sleep, 0, 0, checkMs);
Atomics.wait(sleep, 0, 0, graceMs);
let tempDir = workerData.tempDir;
for (let m; (m = receiveMessageOnPort(parentPort)) !== undefined; ) tempDir = m.message;
if (tempDir !== undefined) {
  try {
    rmSync(tempDir, { recursive: true, force: true });
  } catch {}
}
process.kill(process.pid, 'SIGKILL');
`;

export interface Watchdog {
  /** The run's temporary folder, learned from `init`: removed when the worker is killed. */
  setTempDir(dir: string | undefined): void;
}

/**
 * Ends this worker when its client is gone, even while a job holds the main thread in a synchronous
 * loop (then the worker never sees its control channel close). A thread notices that the worker's parent
 * is no longer `parentPid` (the client died, or, for a remote worker, the SSH session that started it:
 * the worker must be that session's direct child), removes the run's temporary folder and kills the
 * process.
 */
export function startWatchdog(parentPid: number, tempDir: string | undefined): Watchdog {
  const thread = new Thread(THREAD_CODE, {
    eval: true,
    workerData: { parentPid, checkMs: CHECK_MS, graceMs: GRACE_MS, tempDir },
    env: SHARE_ENV,
    // not the worker's own flags (a CPU profile of the worker would profile this thread too)
    execArgv: [],
    stdout: true,
    stderr: true,
    trackUnmanagedFds: false,
  });
  thread.unref();
  thread.on('error', () => {});
  return {
    setTempDir: (dir) => thread.postMessage(dir),
  };
}
