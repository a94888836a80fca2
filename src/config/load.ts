/**
 * Network file -> validated, resolved, deep-frozen Network. Phases: YAML, schema (each stops the load
 * when it fails: later checks would only repeat the same mistake), then graph, modules, classes, built-in
 * job params, nodes (the file's, or a cluster file's) and placement references, whose errors are all
 * collected and reported together. This is the one validation: `marvelo validate`, validateNetwork() and
 * `marvelo run` all get exactly these errors.
 */
import { resolveTimeout } from './timeouts.js';
import { resolveHooks } from './hooks.js';
import { resolveSchedule } from '../schedule/resolve-schedule.js';
import { NETWORK_BACKOFF_MS, resolveBackoff } from './retries.js';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { isMarveloError, MarveloError, MarveloErrors } from '../errors.js';
import type { Bundle } from '../launch/bundle.js';
import { checkPorts, checkRunArity, checkStaticsProblems, type JobInPlace } from './class-checks.js';
import { checkBlockSizes } from './block-size.js';
import { resolveCodec } from './codec.js';
import { readExecutableStatics, type ExecutableStatics } from './executable-statics.js';
import { deepFreeze } from './freeze.js';
import { checkGraph, collectPipeEnds } from './graph.js';
import { ModuleLoader } from './module-loader.js';
import { loadCodecModule, loadJobModule, type JobModule, type ModuleContext } from './modules.js';
import { readNetworkFile } from './parse.js';
import { yieldToEvents } from './yaml-parse.js';
import { checkPlacementRefs, defaultNodeName } from './placement-refs.js';
import { rawNetworkOf, type RawJob, type RawNetwork } from './raw.js';
import { resolveJob } from './resolve-job.js';
import { asPythonExecutable, completePythonArgs, isPythonUses, loadPythonJobs, type PythonJobRef } from './python-job.js';
import { nodesOf } from './nodes.js';
import { checkBuiltinJobs } from '../jobs/builtin-checks.js';
import { resolvePipes } from './resolve-pipes.js';
import { expandReplicas } from './replicas.js';
import type { YamlSource } from './source.js';
import { readStatics, type JobStatics } from './statics.js';
import type { CodecSpec, JobSpec, Network } from './types.js';
import { validateAgainstSchema } from './validate-schema.js';
import { applyOverrides, asOverrideError, type RunOverrides } from './overrides.js';

export interface LoadOptions {
  /** Import job modules to read class statics and check run() and ports (default true). Without it,
   * modules are bundled but never run on the client, and class statics are not applied. */
  inspect?: boolean;
  /** Where bundles are cached (default: a folder under the OS temp dir). */
  bundleDir?: string;
  /**
   * Called with the jobs as written once the file has passed its schema, before any module is bundled
   * or imported: `marvelo run` starts their workers then (LocalLauncher.prestart).
   */
  onJobs?: (jobs: readonly RawJob[]) => void;
  /** Each job or codec module once bundled: its path and the bundle's size in bytes (progress of a long load). */
  onBundled?: (file: string, bytes: number) => void;
  /** Stops the load (with MRV_RUN_INTERRUPTED) when aborted; a large file is parsed in slices to notice. */
  signal?: AbortSignal;
  /** A cluster file whose nodes replace the network file's (`--nodes`); relative to the working directory. */
  nodesFile?: string;
  /** Per-run overrides of the file's values (`marvelo run --set/--env/--args/--timeout/--max-retries`). */
  overrides?: RunOverrides;
}

export interface LoadedNetwork {
  network: Network;
  /** Job name -> bundle of its module (script and builtin jobs). */
  bundles: Map<string, Bundle>;
  /** Pipe name -> bundle of its custom codec module. */
  codecBundles: Map<string, Bundle>;
}

export interface ValidationResult {
  ok: boolean;
  errors: MarveloError[];
  network?: Network;
}

export function defaultBundleDir(): string {
  return join(tmpdir(), 'marvelo-bundles');
}

/** Throws MarveloErrors holding every error found. */
export async function loadNetwork(file: string, opts: LoadOptions = {}): Promise<LoadedNetwork> {
  const path = resolve(file);
  const pause = async () => {
    await yieldToEvents();
    stopIfAborted(opts.signal);
  };
  const parsed = await readNetworkFile(path, pause);
  if (!parsed.ok) throw new MarveloErrors(parsed.errors);
  const src = parsed.source;
  await pause();
  const schemaErrors = validateAgainstSchema(src);
  if (schemaErrors.length > 0) throw new MarveloErrors(schemaErrors);
  // `defaults:` and the run's overrides are written into the document, then checked by the same schema.
  const applied = applyOverrides(src, opts.overrides);
  if (applied.errors.length > 0) throw new MarveloErrors(applied.errors);
  if (applied.changed) {
    const again = validateAgainstSchema(src);
    if (again.length > 0) throw new MarveloErrors(again.map(asOverrideError));
  }
  await pause();
  const raw = rawNetworkOf(src);
  await pause();
  opts.onJobs?.(raw.jobs);
  const ctx: ModuleContext = {
    dir: dirname(path),
    loader: new ModuleLoader(resolve(opts.bundleDir ?? defaultBundleDir()), opts.onBundled),
    inspect: opts.inspect ?? true,
    reported: new Set(),
  };
  return resolveNetwork(raw, src, path, ctx, opts);
}

/** Never throws for mistakes in the network or its modules: they come back as `errors`. */
export async function validateNetwork(file: string, opts: LoadOptions = {}): Promise<ValidationResult> {
  try {
    const { network } = await loadNetwork(file, opts);
    return { ok: true, errors: [], network };
  } catch (e) {
    if (e instanceof MarveloErrors) return { ok: false, errors: e.errors };
    if (isMarveloError(e)) return { ok: false, errors: [e] };
    throw e;
  }
}

async function resolveNetwork(raw: RawNetwork, src: YamlSource, path: string, ctx: ModuleContext, opts: LoadOptions): Promise<LoadedNetwork> {
  const signal = opts.signal;
  const errors: MarveloError[] = [];
  const ends = collectPipeEnds(raw, src);
  errors.push(...checkGraph(raw, src, ends));

  const codecs = new Map<string, CodecSpec>();
  for (const name of new Set([...ends.keys(), ...Object.keys(raw.pipes ?? {})])) {
    codecs.set(name, resolveCodec(raw.pipes?.[name], ctx.dir));
  }

  const pythonJobs = loadPythonJobs(
    raw.jobs.flatMap((job, index) =>
      isPythonUses(job.uses) ? [{ job, index, src, dir: ctx.dir, usesAt: src.valueAt(['jobs', index, 'uses']), codecs, inspect: ctx.inspect }] : [],
    ),
  );
  const jobs: JobSpec[] = [];
  const bundles = new Map<string, Bundle>();
  // One job at a time: errors come out in file order, and a broken module is reported at its first use.
  for (const [index, job] of raw.jobs.entries()) {
    stopIfAborted(signal);
    let module: JobModule | undefined;
    let statics: JobStatics = {};
    let executableStatics: ExecutableStatics | undefined;
    let python: PythonJobRef | undefined;
    const pythonLoad = pythonJobs.get(index);
    if (pythonLoad !== undefined) {
      errors.push(...pythonLoad.errors);
      python = pythonLoad.ref;
      statics = pythonLoad.statics;
    } else if (job.uses !== undefined) {
      const usesAt = src.valueAt(['jobs', index, 'uses']);
      const loaded = await loadJobModule(job, usesAt, ctx);
      errors.push(...loaded.errors);
      module = loaded.module;
      // An ExecutableJob class is fully described by its statics: its worker needs no bundle.
      if (module?.bundle && !module.executableCls) bundles.set(job.name, module.bundle);
      if (module?.executableCls) {
        const cls = module.executableCls;
        const read = readStatics(cls);
        const readExec = readExecutableStatics(cls);
        statics = read.statics;
        executableStatics = readExec.statics;
        const place = jobInPlace(job.name, index, raw, src, usesAt);
        errors.push(...checkStaticsProblems(place, cls, [...read.problems, ...readExec.problems]));
      }
      if (module?.cls) {
        const read = readStatics(module.cls);
        statics = read.statics;
        const place = jobInPlace(job.name, index, raw, src, usesAt);
        errors.push(...checkStaticsProblems(place, module.cls, read.problems));
        errors.push(...checkRunArity(place, module.cls));
        errors.push(...checkPorts(place, module.cls, statics, (pipe) => codecs.get(pipe)!));
      }
    }
    const resolved = resolveJob(job, { src, dir: ctx.dir, index, module, statics, executableStatics, networkHeadSize: raw.head_size });
    errors.push(...resolved.errors);
    if (python !== undefined) asPythonExecutable(resolved.spec, python, job.head ?? statics.head);
    jobs.push(resolved.spec);
  }

  errors.push(...checkBlockSizes(codecs, ends, jobs, src), ...checkBuiltinJobs(jobs));

  const codecBundles = new Map<string, Bundle>();
  for (const [pipe, codec] of codecs) {
    if (codec.kind !== 'custom' || !ends.has(pipe)) continue;
    const loaded = await loadCodecModule(pipe, codec, src.valueAt(['pipes', pipe, 'codec']), raw.pipes![pipe]!.codec!, ctx);
    errors.push(...loaded.errors);
    if (loaded.bundle) codecBundles.set(pipe, loaded.bundle);
  }

  const timeoutMs = resolveTimeout(raw.timeout, 'the network', src.valueAt(['timeout']), errors);
  const retryBackoffMs = resolveBackoff(raw.retry_backoff, NETWORK_BACKOFF_MS, 'the network', src.valueAt(['retry_backoff']), errors);
  const hooks = resolveHooks(raw.hooks, src, errors);
  const schedule = resolveSchedule(raw.schedule, src, errors);
  const { nodes, errors: nodeErrors } = await nodesOf(raw, src, opts.nodesFile);
  errors.push(...nodeErrors, ...checkPlacementRefs(jobs, raw.jobs, nodes, src));
  if (errors.length > 0) throw new MarveloErrors(sortByLocation(errors, path).map(asOverrideError));

  for (const job of jobs) job.defaultNode = defaultNodeName(job, nodes);
  const pipes = resolvePipes(raw, jobs, ends, codecs, src);
  // before the replicas are expanded: each replica of a python job runs the same description
  for (const job of jobs) completePythonArgs(job, pipes);
  const orderOf = (name: string) => raw.jobs.find((j) => j.name === name)?.order ?? 'sqn';
  const expanded = expandReplicas({ jobs, pipes }, orderOf, bundles, codecBundles);
  const network: Network = {
    name: raw.name ?? networkNameOf(path),
    file: path,
    dir: ctx.dir,
    jobs: expanded.jobs,
    pipes: expanded.pipes,
    nodes,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    maxRetries: raw.max_retries ?? 0,
    retryBackoffMs,
    ...(hooks === undefined ? {} : { hooks }),
    ...(schedule === undefined ? {} : { schedule }),
  };
  return { network: deepFreeze(network), bundles, codecBundles };
}

function stopIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new MarveloError('MRV_RUN_INTERRUPTED', 'interrupted while loading the network file');
}

function jobInPlace(name: string, index: number, raw: RawNetwork, src: YamlSource, usesAt: JobInPlace['usesAt']): JobInPlace {
  const job = raw.jobs[index]!;
  return {
    name,
    inputs: (job.inputs ?? []).map(String),
    outputs: (job.outputs ?? []).map(String),
    usesAt,
    inputsAt: job.inputs !== undefined ? src.keyAt(['jobs', index, 'inputs']) : usesAt,
    portAt: (side, i) => src.valueAt(['jobs', index, side, i]),
  };
}

function networkNameOf(path: string): string {
  return basename(path, extname(path));
}

/** Errors in the network file first, in line order; then errors inside modules. */
function sortByLocation(errors: MarveloError[], file: string): MarveloError[] {
  const rank = (e: MarveloError) => (e.where === undefined ? 2 : e.where.file === file ? 0 : 1);
  return [...errors].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      (a.where?.file ?? '').localeCompare(b.where?.file ?? '') ||
      (a.where?.line ?? 0) - (b.where?.line ?? 0) ||
      (a.where?.col ?? 0) - (b.where?.col ?? 0),
  );
}
