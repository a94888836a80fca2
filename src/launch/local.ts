import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { MarveloError } from '../errors.js';
import { packageRoot } from '../paths.js';
import type { LaunchRequest, Launcher, WorkerExit, WorkerHandle } from './types.js';

/** The built worker entry point (npm run build). */
export function workerEntry(): string {
  return join(packageRoot(), 'dist', 'worker', 'main.js');
}

/**
 * Extra Node.js flags for every local worker, from MARVELO_WORKER_NODE_ARGS (space-separated), e.g.
 * `--cpu-prof --cpu-prof-dir=prof` to profile a run (Node refuses --cpu-prof in NODE_OPTIONS), or
 * `--enable-source-maps` to map the runtime's own stack frames to src/. Workers do not map them by
 * default: a job's frames are mapped anyway (importBundle turns source maps on for its bundle), and
 * reading the runtime's maps cost each worker ~30 ms of CPU at start-up.
 */
function workerNodeArgs(): string[] {
  return (process.env.MARVELO_WORKER_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');
}

/** Starts workers as child processes of the client, on this machine. */
export class LocalLauncher implements Launcher {
  readonly node = 'local';

  async launch(req: LaunchRequest): Promise<WorkerHandle> {
    // Own process group (detached): a Ctrl-C in the terminal reaches only the client, which stops the
    // workers in order. Workers still die with the client: their stdin closes.
    const child = spawn(
      process.execPath,
      [...workerNodeArgs(), workerEntry(), '--marvelo-run', req.runId, '--marvelo-job', req.job],
      { cwd: req.cwd, env: { ...process.env, ...req.env }, stdio: ['pipe', 'pipe', 'pipe'], detached: true },
    );
    const exited = new Promise<WorkerExit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', (err) =>
        reject(new MarveloError('MRV_LAUNCH_WORKER', `cannot start the worker of job '${req.job}': ${err.message}`, { job: req.job, cause: err })),
      );
    });
    child.stdin.on('error', () => {});
    return {
      job: req.job,
      node: this.node,
      pid: child.pid,
      output: child.stdout,
      input: child.stdin,
      stderr: child.stderr,
      exited,
      kill: (signal = 'SIGKILL') => {
        if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      },
    };
  }
}
