import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { MarveloError } from '../errors.js';
import { Keeper } from './keeper.js';
import { packageRoot } from '../paths.js';
import { prepareJobFolder } from './job-folder.js';
import type { JobShipment } from './shipment.js';
import type { LaunchRequest, Launcher, PreparedJob, PreparedRun, WorkerExit, WorkerHandle } from './types.js';
import { JOB_ARG, RUN_ARG } from '../worker/boot/args.js';

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

/** A worker process that is starting or waiting for its `init`. */
interface Started {
  child: ChildProcessWithoutNullStreams;
  /** Resolves once the process runs; rejects when it could not be started. */
  spawned: Promise<void>;
  exited: Promise<WorkerExit>;
}

/**
 * Starts workers as child processes of the client, on this machine.
 *
 * A worker learns its job from `init`, so it can be started before its job is known: `prestart()`
 * starts workers as soon as the network file has passed its schema, and they boot Node and the worker
 * code while the client bundles and checks the job modules. `launch()` hands one out when the job's
 * worker needs nothing a spare one lacks (no `env` of its own, the same working directory).
 */
export class LocalLauncher implements Launcher {
  readonly node = 'local';

  private dataHost = '127.0.0.1';

  /**
   * @param runDir the run's folder on this machine (made by the run).
   * @param cwd where script jobs run (the user's working folder).
   */
  constructor(
    private readonly runDir: string,
    private readonly cwd: string,
  ) {}

  /** TCP listeners bind `host` (default loopback): the address that faces the nodes, when jobs there dial this machine's. */
  useDataHost(host: string): void {
    this.dataHost = host;
  }

  private spares: Started[] = [];
  private spareCwd: string | undefined;
  /** Exits of the spares release() stopped. */
  private stopped: Promise<WorkerExit>[] = [];
  /** Kills this launcher's workers if the client dies; started with the first worker. */
  private keeper: Keeper | undefined;

  /**
   * Starts `count` workers for jobs not known yet; `release()` stops those that `launch()` did not take.
   */
  prestart(count: number, runId: string, cwd: string): void {
    this.spareCwd = cwd;
    for (let i = 0; i < count; i++) this.spares.push(this.start(runId, cwd, {}, []));
  }

  /** The client's own files are used in place; dependencies are copied into each job's folder. */
  async prepare(_runId: string, shipments: readonly JobShipment[]): Promise<PreparedRun> {
    const jobs = new Map<string, PreparedJob>();
    for (const s of shipments) {
      const codecBundles: Record<string, string> = {};
      for (const [pipe, a] of Object.entries(s.codecs)) codecBundles[pipe] = a.source;
      jobs.set(s.job, {
        bundle: s.bundle?.source,
        codecBundles,
        program: s.program?.source,
        folder: prepareJobFolder(this.runDir, s.job, s.folder),
        cwd: this.cwd,
      });
    }
    return { dir: this.runDir, dataHost: this.dataHost, jobs };
  }

  async launch(req: LaunchRequest): Promise<WorkerHandle> {
    const nodeArgs = req.nodeArgs ?? [];
    const spare = Object.keys(req.env).length === 0 && nodeArgs.length === 0 && req.cwd === this.spareCwd ? this.spares.shift() : undefined;
    const { child, spawned, exited } = spare ?? this.start(req.runId, req.cwd, req.env, [JOB_ARG, req.job], nodeArgs);
    try {
      await spawned;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      throw new MarveloError('MRV_LAUNCH_WORKER', `cannot start the worker of job '${req.job}': ${message}`, { job: req.job, cause: err });
    }
    const keeper = this.keeperOf();
    return {
      job: req.job,
      node: this.node,
      pid: child.pid,
      output: child.stdout,
      input: child.stdin,
      stderr: child.stderr,
      exited,
      kill: (signal = 'SIGKILL') => killWorker(child, signal),
      watchGroup: (pgid) => keeper.watch(pgid),
      killGroup: (pgid) => {
        killProcessGroup(pgid);
        keeper.forget(pgid);
      },
      forgetGroup: (pgid) => keeper.forget(pgid),
    };
  }

  /**
   * Stops the prestarted workers no job took (the load failed, or jobs needed workers of their own).
   * Resolves once every spare it ever stopped has exited.
   */
  release(): Promise<void> {
    for (const s of this.spares.splice(0)) {
      killWorker(s.child, 'SIGKILL');
      this.stopped.push(s.exited);
    }
    return Promise.all(this.stopped).then(() => {});
  }

  /** The run's temporary folder: removed if the client dies, whatever phase the run is in. */
  removeOnDeath(dir: string): void {
    this.keeperOf().removeOnDeath(dir);
  }

  /** The run is over and its folder removed: nothing is left for the keeper to clean up. */
  async close(): Promise<void> {
    this.keeper?.end();
  }

  /** The supervisor kills the workers; the run removes its folder. */
  kill(): void {}

  private keeperOf(): Keeper {
    this.keeper ??= new Keeper();
    return this.keeper;
  }

  private start(runId: string, cwd: string, env: Record<string, string>, extraArgs: string[], nodeArgs: string[] = []): Started {
    const started = startWorker(runId, cwd, env, extraArgs, nodeArgs);
    const keeper = this.keeperOf();
    const { pid } = started.child;
    if (pid !== undefined) {
      keeper.watch(pid);
      void started.exited.then(() => keeper.forget(pid));
    }
    return started;
  }
}

function startWorker(runId: string, cwd: string, env: Record<string, string>, extraArgs: string[], nodeArgs: string[]): Started {
  // Own process group (detached): a Ctrl-C in the terminal reaches only the client, which stops the
  // workers in order. Workers still die with the client: their stdin closes.
  const args = [...workerNodeArgs(), ...nodeArgs, workerEntry(), RUN_ARG, runId, ...extraArgs];
  const child = spawn(process.execPath, args, { cwd, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  const exited = new Promise<WorkerExit>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    // a process that never started emits no 'exit'
    child.once('error', () => child.pid === undefined && resolve({ code: null, signal: null }));
  });
  const spawned = new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
  spawned.catch(() => {}); // a spare nobody takes may fail unobserved
  child.stdin.on('error', () => {});
  return { child, spawned, exited };
}

function killProcessGroup(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // ESRCH: the group is gone already (EPERM: its number is another user's now)
  }
}

function killWorker(child: ChildProcessWithoutNullStreams, signal: NodeJS.Signals): void {
  if (child.exitCode === null && child.signalCode === null) child.kill(signal);
}
