import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadNetwork, type LoadedNetwork } from '../config/load.js';
import type { Network, TransportKind } from '../config/types.js';
import type { WorkerJob, WorkerStats } from '../control/messages.js';
import { Supervisor, type SupervisorEvent } from '../control/supervisor.js';
import { MarveloError } from '../errors.js';
import { LocalLauncher } from '../launch/local.js';
import type { Launcher } from '../launch/types.js';
import { LOCAL_NODE, place } from '../plan/place.js';
import { summarize, type RunSummary } from './summary.js';

export interface RunOptions {
  /** Force the data transport of every pipe (default: unix sockets on one host). */
  transport?: TransportKind;
  /** Folder for sockets and bundles (default: a fresh temporary folder, removed at the end). */
  runDir?: string;
  /** Working directory of the jobs (default: process.cwd()). */
  cwd?: string;
  /** Worker metrics interval in ms (default 500). */
  metricsMs?: number;
  onEvent?: (e: RunEvent) => void;
}

export type RunEvent = SupervisorEvent | { type: 'loaded'; network: Network };

export interface RunResult {
  ok: boolean;
  /** 0 ok, 1 a job failed, 130 interrupted. */
  exitCode: number;
  summary: RunSummary;
}

export interface RunHandle {
  readonly done: Promise<RunResult>;
  /** Stops every worker (Ctrl-C). */
  interrupt(): void;
}

/** Loads, places, launches and supervises a network until it finishes, fails or is interrupted. */
export function startRun(file: string, opts: RunOptions = {}): RunHandle {
  let supervisor: Supervisor | undefined;
  let interrupted = false;
  const done = (async () => {
    const ownDir = opts.runDir === undefined;
    const runDir = opts.runDir ?? mkdtempSync(join(tmpdir(), 'marvelo-'));
    try {
      const loaded = await loadNetwork(file, { bundleDir: join(runDir, 'bundles') });
      opts.onEvent?.({ type: 'loaded', network: loaded.network });
      return await execute(loaded, runDir, opts, (s) => {
        supervisor = s;
        if (interrupted) s.interrupt();
      });
    } finally {
      if (ownDir) rmSync(runDir, { recursive: true, force: true });
    }
  })();
  return {
    done,
    interrupt: () => {
      interrupted = true;
      supervisor?.interrupt();
    },
  };
}

export function run(file: string, opts: RunOptions = {}): Promise<RunResult> {
  return startRun(file, opts).done;
}

async function execute(
  loaded: LoadedNetwork,
  runDir: string,
  opts: RunOptions,
  onSupervisor: (s: Supervisor) => void,
): Promise<RunResult> {
  const { network, bundles } = loaded;
  const placement = place(network);
  const launchers = new Map<string, Launcher>([[LOCAL_NODE, new LocalLauncher()]]);
  for (const [job, node] of placement) {
    if (!launchers.has(node)) {
      throw new MarveloError('MRV_PLAN_UNSUPPORTED', `job '${job}' is placed on node '${node}', but remote nodes are not supported yet`, {
        job,
        hint: 'remove `nodes:` (everything then runs on this machine) or put the job in group LOCAL',
      });
    }
    const spec = network.jobs.find((j) => j.name === job)!;
    if (spec.kind === 'executable') {
      throw new MarveloError('MRV_PLAN_UNSUPPORTED', 'executable jobs are not supported yet', { job, where: spec.where });
    }
  }
  const runId = randomBytes(6).toString('hex');
  const secret = randomBytes(32);
  const started = Date.now();
  const makeJob = (job: string): WorkerJob => {
    const spec = network.jobs.find((j) => j.name === job)!;
    const codecBundles: Record<string, string> = {};
    for (const p of [...spec.inputs, ...spec.outputs]) {
      const b = loaded.codecBundles?.get(p);
      if (b) codecBundles[p] = b.file;
    }
    return {
      spec,
      inputs: spec.inputs.map((p) => network.pipes[p]!),
      outputs: spec.outputs.map((p) => network.pipes[p]!),
      bundle: bundles.get(job)?.file,
      codecBundles,
    };
  };
  const supervisor = new Supervisor(
    network,
    launchers,
    placement,
    makeJob,
    () => ({
      id: runId,
      secret,
      dir: runDir,
      transport: opts.transport ?? 'unix',
      host: '127.0.0.1',
      metricsMs: opts.metricsMs ?? 500,
    }),
    opts.cwd ?? process.cwd(),
    (e) => opts.onEvent?.(e),
  );
  onSupervisor(supervisor);
  const outcome = await supervisor.run(runId);
  const summary = summarize(network, outcome, Date.now() - started);
  const exitCode = outcome.interrupted ? 130 : outcome.failure ? 1 : 0;
  return { ok: exitCode === 0, exitCode, summary };
}

export type { WorkerStats };
