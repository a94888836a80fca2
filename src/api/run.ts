import { randomBytes } from 'node:crypto';
import { cpuLimitNotice, localCpuCgroup } from '../control/cpu-cgroup.js';
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadNetwork, type LoadedNetwork } from '../config/load.js';
import type { RunOverrides } from '../config/overrides.js';
import type { JobSpec, Network, TransportKind } from '../config/types.js';
import { relocate, standbyNodes } from '../plan/relocate.js';
import { backoffMs } from '../config/retries.js';
import type { RunInfo, WorkerJob, WorkerStats } from '../control/messages.js';
import { Supervisor, type SupervisorEvent } from '../control/supervisor.js';
import { isMarveloError, MarveloError, MarveloErrors } from '../errors.js';
import { loggingIntervalMs } from '../jobs/builtin-checks.js';
import { LocalLauncher } from '../launch/local.js';
import type { Launcher, PreparedRun } from '../launch/types.js';
import { launcherFor } from '../launch/registry.js';
import { addressFacing } from '../launch/facing-address.js';
import { shipmentsOf } from '../launch/shipment.js';
import type { UploadReport } from '../launch/ssh/upload.js';
import { LOCAL_NODE, place } from '../plan/place.js';
import type { Plan } from '../plan/types.js';
import { summarize, type RunSummary } from './summary.js';
import { ClientFeeds } from './client-feeds.js';
import { fedJobs } from './fed-jobs.js';
import { openRunConsole, type ConsoleEvent } from './run-console.js';
import { newRunId } from './records/id.js';
import { runsDirOf } from './records/paths.js';
import type { RunTrigger } from './records/types.js';
import { openRecord, type RecordWriter } from './records/writer.js';
import { RunEventLog } from './run-events.js';
import { finalStatusOf, HookRunner, type HookEvent, type HookOutcome } from './hooks.js';

export interface RunOptions {
  /** Force the data transport of every pipe (default: unix sockets on one node, TCP between nodes). */
  transport?: TransportKind;
  /** A cluster file whose nodes replace the network file's (`--nodes`). */
  nodesFile?: string;
  /** Trust and record the host keys of nodes not yet in known_hosts (never changed ones). */
  acceptNewHosts?: boolean;
  /** Folder for sockets and bundles (default: a fresh temporary folder, removed at the end). */
  runDir?: string;
  /** Working directory of the jobs (default: process.cwd()). */
  cwd?: string;
  /** Worker metrics interval in ms (default 500). */
  metricsMs?: number;
  /** Open a local socket for `marvelo console` when the network has console jobs (default true). */
  consoleSocket?: boolean;
  /**
   * Every event of the run. Return a promise from a `log` event while you cannot take more lines (a
   * full output stream): the workers' output is not read until it settles, and the jobs that print wait.
   */
  onEvent?: (e: RunEvent) => void | Promise<void>;
  /**
   * Keep a record of the run (run.json, events.jsonl, logs/<job>.log) in `<dir>/<run id>/`; `dir`
   * defaults to MARVELO_RUNS_DIR, else `.marvelo/runs` next to the network file. Default false: a
   * program that embeds marvelo decides itself whether runs leave files behind (the CLI always records).
   */
  record?: false | { dir?: string; trigger?: RunTrigger };
  /** This run's overrides of the network file's values (see RunOverrides); kept in the run record. */
  overrides?: RunOverrides;
}

export type RunEvent =
  | SupervisorEvent
  /** A job or codec module was bundled while the network loads (`bytes`: the bundle's size). */
  | { type: 'bundled'; module: string; bytes: number }
  | { type: 'loaded'; network: Network }
  /** Where each job runs, and how each pipe's blocks travel. */
  | { type: 'planned'; runId: string; plan: Plan }
  /** What reached a node's cache for this run (`files` 0: everything was there). */
  | ({ type: 'shipped'; node: string } & UploadReport)
  /** Something the user should know that is not a failure (a standby node left out of restarts). */
  | { type: 'notice'; text: string }
  /** An attempt failed or timed out and the network runs again (`max_retries`), after `delayMs`. */
  | { type: 'retrying'; attempt: number; of: number; delayMs: number; reason: string }
  /** The network file's hooks, after the run ended: started, each output line, how each went (`hook`). */
  | HookEvent
  | ConsoleEvent;

export interface RunResult {
  ok: boolean;
  /** 0 ok, 1 a job failed, 124 the network's timeout ran out (as timeout(1)), 130 interrupted. */
  exitCode: number;
  summary: RunSummary;
  /** The hooks that ran after the run (`hooks:`), in order; they never change `ok` or `exitCode`. */
  hooks: HookOutcome[];
}

/** One attempt's result, before the hooks ran. */
type AttemptResult = Omit<RunResult, 'hooks'>;

export interface RunHandle {
  /** The run's id (time-sortable; the name of its record folder). */
  readonly runId: string;
  /** The run's record folder, once made (undefined when the run is not recorded). */
  readonly recordDir: string | undefined;
  readonly done: Promise<RunResult>;
  /** Stops every worker (Ctrl-C); while the network loads, stops the load: `done` rejects with MRV_RUN_INTERRUPTED. */
  interrupt(): void;
  /** Cancels the run (the same as interrupt(): its status is `interrupted`, its record's `cancelled`). */
  cancel(): void;
  /**
   * The run's state events as they happen, the same kinds as its record's events.jsonl (placement,
   * start, each job's end, failures, restarts, retries): from the run's start, whenever it is called;
   * the iteration ends with the run.
   */
  events(): AsyncIterable<RunEvent>;
  /** Sends an item to a job's client feed (a line to a console job); held until the workers run. */
  feed(job: string, item: unknown): void;
  /** Ends a job's client feed (Ctrl-D on the console). */
  endFeed(job: string): void;
  /**
   * Ends the run at once, for a client about to exit (a second Ctrl-C): kills every worker and removes
   * the run's temporary folder, without waiting for anything.
   */
  kill(): void;
}

/** Loads, places, launches and supervises a network until it finishes, fails or is interrupted. */
export function startRun(file: string, opts: RunOptions = {}): RunHandle {
  let supervisor: Supervisor | undefined;
  const interruption = new AbortController();
  const feeds = new ClientFeeds();
  let kill = () => {};
  const runId = newRunId();
  let record: RecordWriter | undefined;
  const userOnEvent = opts.onEvent;
  const eventLog = new RunEventLog();
  opts = {
    ...opts,
    onEvent: (e) => {
      eventLog.push(e);
      return bothSettled(record?.onEvent(e), userOnEvent?.(e));
    },
  };
  const hooks = new HookRunner();
  let network: Network | undefined;
  const running = (async () => {
    if (opts.record) record = openRecord({ runsDir: runsDirOf(file, opts.record.dir), id: runId, networkFile: file, trigger: opts.record.trigger ?? 'api', overrides: opts.overrides });
    const ownDir = opts.runDir === undefined;
    const runDir = opts.runDir ?? join(tmpdir(), `marvelo-${runId}`);
    const cwd = opts.cwd ?? process.cwd();
    const local = new LocalLauncher(runDir, cwd);
    let launchers: Launcher[] = [local];
    if (ownDir) {
      // The keeper knows the folder before it exists: a client killed at any moment leaves none.
      local.removeOnDeath(runDir);
      mkdirSync(runDir, { mode: 0o700 }); // never an existing folder: it fails instead (the id's time and random bits make that rare)
    }
    kill = () => {
      record?.killed();
      supervisor?.kill();
      void local.release();
      for (const l of launchers) l.kill();
      if (ownDir) rmSync(runDir, { recursive: true, force: true });
      void local.close();
    };
    try {
      const loaded = await loadNetwork(file, {
        bundleDir: join(runDir, 'bundles'),
        signal: interruption.signal,
        nodesFile: opts.nodesFile,
        overrides: opts.overrides,
        // Workers boot while the job modules are bundled; a job with an `env` of its own gets a fresh one.
        onBundled: (module, bytes) => void opts.onEvent?.({ type: 'bundled', module, bytes }),
        onJobs: (jobs) => {
          // a job with a memory limit gets a worker with a capped heap
          const count = jobs.filter((j) => Object.keys(j.env ?? {}).length === 0 && j.limits?.memory === undefined).length;
          local.prestart(count, runId, cwd);
        },
      });
      network = loaded.network;
      opts.onEvent?.({ type: 'loaded', network: loaded.network });
      const cpuNotice = cpuLimitNotice(loaded.network.jobs, localCpuCgroup());
      if (cpuNotice !== undefined) opts.onEvent?.({ type: 'notice', text: cpuNotice });
      const { maxRetries, retryBackoffMs } = loaded.network;
      for (let attempt = 0; ; attempt++) {
        const result = await execute(
          loaded,
          { runId, runDir, cwd, local, signal: interruption.signal },
          opts,
          feeds,
          (s) => {
            supervisor = s;
            if (interruption.signal.aborted) s.interrupt();
          },
          (all) => (launchers = all),
        ).finally(() => closeNodes(launchers, local));
        // A failed or timed-out attempt runs the whole network again while retries remain (never a cancelled one).
        const retry = (result.exitCode === 1 || result.exitCode === 124) && attempt < maxRetries && !interruption.signal.aborted;
        if (!retry) return { ...result, summary: { ...result.summary, attempts: attempt + 1 } };
        const delayMs = backoffMs(retryBackoffMs, attempt + 1);
        opts.onEvent?.({ type: 'retrying', attempt: attempt + 1, of: maxRetries, delayMs, reason: retryReason(result) });
        await abortableDelay(delayMs, interruption.signal);
        if (interruption.signal.aborted) throw new MarveloError('MRV_RUN_INTERRUPTED', 'interrupted while waiting to run the network again');
        feeds.detach();
      }
    } finally {
      await local.release();
      feeds.close();
      await closeNodes(launchers, local);
      if (ownDir) rmSync(runDir, { recursive: true, force: true });
      await local.close();
    }
  })();
  const interrupt = () => {
    record?.interrupted();
    interruption.abort();
    supervisor?.interrupt();
    hooks.interrupt();
  };
  // Hooks run once the record is final; a network that never loaded has none.
  const runHooks = async (end: Parameters<typeof finalStatusOf>[0]): Promise<HookOutcome[]> => {
    if (network === undefined) return [];
    const onEvent = (e: HookEvent) => {
      if (e.type === 'hook') {
        const { type: _t, ...outcome } = e;
        record?.hookRan(outcome);
      }
      eventLog.push(e);
      void userOnEvent?.(e);
    };
    return hooks.run({ network, runId, status: finalStatusOf(end), recordDir: record?.dir, onEvent });
  };
  const done = running
    .then(
      async (result) => {
        await record?.close({ result });
        return { ...result, hooks: await runHooks({ summaryStatus: result.summary.status }) };
      },
      async (error: unknown) => {
        await record?.close({ error });
        await runHooks({ error });
        throw error;
      },
    )
    .finally(() => eventLog.end());
  return {
    runId,
    get recordDir() {
      return record?.dir;
    },
    done,
    interrupt,
    cancel: interrupt,
    events: () => eventLog.iterate(),
    feed: (job, item) => feeds.feed(job, [item]),
    endFeed: (job) => feeds.endFeed(job),
    kill: () => {
      hooks.kill();
      kill();
    },
  };
}

export function run(file: string, opts: RunOptions = {}): Promise<RunResult> {
  return startRun(file, opts).done;
}

/** What startRun decided before the network was loaded. */
interface RunSetup {
  runId: string;
  runDir: string;
  /** Working directory of the jobs. */
  cwd: string;
  /** The launcher of this machine's workers, holding the workers prestarted during the load. */
  local: LocalLauncher;
  /** Aborted by Ctrl-C. */
  signal: AbortSignal;
}

async function execute(
  loaded: LoadedNetwork,
  { runId, runDir, cwd, local, signal }: RunSetup,
  opts: RunOptions,
  feeds: ClientFeeds,
  onSupervisor: (s: Supervisor) => void,
  onLaunchers: (launchers: Launcher[]) => void,
): Promise<AttemptResult> {
  const { network } = loaded;
  const plan = place(network, opts.transport === undefined ? {} : { transport: opts.transport });
  opts.onEvent?.({ type: 'planned', runId, plan });
  // A job that may be restarted is made ready on every node it may be moved to (standby), so that a
  // restart ships nothing; a standby node that cannot be prepared is only left out of the restarts.
  const standby = standbyNodes(network, plan);
  const launchers = new Map<string, Launcher>([[LOCAL_NODE, local]]);
  for (const node of network.nodes.filter((n) => plan.nodes.includes(n) || standby.has(n.name))) {
    launchers.set(node.name, await launcherFor(node, { acceptNewHosts: opts.acceptNewHosts, onShipped: (n, report) => opts.onEvent?.({ type: 'shipped', node: n, ...report }) }));
  }
  onLaunchers([...launchers.values()]);
  const crossing = plan.pipes.some((p) => p.transport === 'tcp' && (plan.nodeOf.get(p.producer) === LOCAL_NODE) !== (plan.nodeOf.get(p.consumer) === LOCAL_NODE));
  if (plan.nodes.length > 0 && (crossing || standby.size > 0)) {
    // this machine's jobs exchange blocks with nodes: their listeners bind the address that faces them
    local.useDataHost(await addressFacing(plan.nodes[0]!.dataHost, plan.nodes[0]!.port));
  }
  const shipments = shipmentsOf(loaded);
  const prepared = new Map<string, PreparedRun>();
  // Ctrl-C while files are shipped: drop the connections (each node's keeper then cleans up)
  const stopPreparing = () => {
    for (const l of launchers.values()) if (l !== local) l.kill();
  };
  signal.addEventListener('abort', stopPreparing, { once: true });
  const outcomes = await Promise.allSettled(
    [...launchers].map(async ([node, launcher]) => {
      const placedHere = shipments.filter((s) => plan.nodeOf.get(s.job) === node);
      const mine = shipments.filter((s) => plan.nodeOf.get(s.job) === node || standby.get(node)?.has(s.job));
      if (mine.length === 0 && node !== LOCAL_NODE) return;
      try {
        prepared.set(node, await launcher.prepare(runId, mine));
      } catch (err) {
        if (placedHere.length > 0 || node === LOCAL_NODE || signal.aborted) throw err;
        opts.onEvent?.({ type: 'notice', text: `node ${node} is left out of restarts: ${err instanceof Error ? err.message : String(err)}` });
      }
    }),
  ).finally(() => signal.removeEventListener('abort', stopPreparing));
  if (signal.aborted) throw new MarveloError('MRV_RUN_INTERRUPTED', 'interrupted while the nodes were prepared');
  throwAll(outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : [])));
  const fed = fedJobs(network);
  const secret = randomBytes(32);
  const started = Date.now();
  const preparedJob = (job: string, node: string) => prepared.get(node)!.jobs.get(job)!;
  const makeJob = (job: string, node: string): WorkerJob => {
    const spec = network.jobs.find((j) => j.name === job)!;
    const files = preparedJob(job, node);
    return {
      // a program given by path runs from where its launcher put it
      spec: files.program !== undefined && spec.executable ? { ...spec, executable: { ...spec.executable, command: files.program } } : spec,
      inputs: spec.inputs.map((p) => network.pipes[p]!),
      outputs: spec.outputs.map((p) => network.pipes[p]!),
      bundle: files.bundle,
      codecBundles: files.codecBundles,
      folder: files.folder,
    };
  };
  const makeRun = (job: string, node: string, attempt: number, transportOf: ReadonlyMap<string, TransportKind>): RunInfo => {
    const spec = network.jobs.find((j) => j.name === job)!;
    const onNode = prepared.get(node)!;
    const listen = new Set(spec.outputs.map((p) => transportOf.get(p)!));
    // a restarted consumer may come back on another node: it dials TCP then
    if (network.nodes.length > 0 && spec.outputs.some((p) => network.pipes[p]!.restartable)) listen.add('tcp');
    return {
      id: runId,
      secret,
      dir: onNode.dir,
      listen: [...listen],
      host: onNode.dataHost,
      metricsMs: opts.metricsMs ?? 500,
      loggingMs: loggingIntervalMs(network),
      attempt,
    };
  };
  const relocateJob = (job: JobSpec, nodeOf: ReadonlyMap<string, string>, lost: ReadonlySet<string>) => {
    const usable = new Set([...prepared].filter(([node, run]) => !lost.has(node) && run.jobs.has(job.name)).map(([node]) => node));
    return relocate(network, nodeOf, job, usable, opts.transport);
  };
  const supervisor = new Supervisor(
    network,
    launchers,
    plan,
    makeJob,
    makeRun,
    (job, node) => preparedJob(job, node).cwd,
    (e) => {
      if (e.type === 'started') feeds.attach(supervisor);
      else if (e.type === 'sample') for (const job of fed.sampleReaders) feeds.feed(job, [e.sample]);
      return opts.onEvent?.(e);
    },
    fed.endWithRun,
    opts.metricsMs ?? 500,
    relocateJob,
  );
  onSupervisor(supervisor);
  const consoles = fed.consoles.length > 0 ? await openRunConsole(runId, network, fed.consoles, feeds, opts.consoleSocket ?? true) : undefined;
  if (consoles) opts.onEvent?.(consoles.event);
  const outcome = await supervisor.run(runId).finally(() => consoles?.socket?.close());
  const summary = summarize(network, outcome, Date.now() - started);
  const exitCode = outcome.interrupted ? 130 : outcome.timedOut ? 124 : outcome.failure ? 1 : 0;
  return { ok: exitCode === 0, exitCode, summary };
}

/** Each node's keeper removes the run's folder there; the nodes are closed once per attempt. */
async function closeNodes(launchers: Launcher[], local: Launcher): Promise<void> {
  await Promise.all(launchers.filter((l) => l !== local).map((l) => l.close().catch(() => {})));
}

function retryReason(result: AttemptResult): string {
  const { failure, timedOut } = result.summary;
  if (timedOut) return timedOut.message;
  return failure ? `job '${failure.job}' failed: ${failure.message}` : 'the attempt failed';
}

function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}


/** Both consumers of an event may hold the workers' output; the run goes on once both can take more. */
function bothSettled(a: void | Promise<void>, b: void | Promise<void>): void | Promise<void> {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Promise.all([a, b]).then(() => {});
}

/** Every node that could not be prepared is reported, not only the first. */
function throwAll(errors: unknown[]): void {
  if (errors.length === 0) return;
  if (errors.length === 1 || !errors.every(isMarveloError)) throw errors[0];
  throw new MarveloErrors(errors as MarveloError[]);
}

export type { WorkerStats };
