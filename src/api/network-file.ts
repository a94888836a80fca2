import PQueue from 'p-queue';
import { loadNetwork, validateNetwork, type LoadOptions, type ValidationResult } from '../config/load.js';
import type { RunOverrides } from '../config/overrides.js';
import { place, type PlanOptions } from '../plan/place.js';
import type { Plan } from '../plan/types.js';
import { startRun, type RunHandle, type RunOptions, type RunResult } from './run.js';

/** How many runs `map()` keeps going at once by default: each is several processes. */
export const MAP_CONCURRENCY = 2;

export interface MapOptions extends RunOptions {
  /** Runs at once (default MAP_CONCURRENCY). */
  concurrency?: number;
}

/**
 * A network file as a reusable template (the job platforms' "job"), each start of it a run: validate
 * and plan it, start or run it with per-run overrides, or run it once per parameter set (`map`).
 */
export interface NetworkFile {
  readonly file: string;
  /** Every error of the file (and its nodes), none thrown: `{ ok, errors, network }`. */
  validate(opts?: Pick<LoadOptions, 'nodesFile' | 'overrides'>): Promise<ValidationResult>;
  /** Where each job would run and how each pipe's blocks would travel (throws the file's errors). */
  plan(opts?: Pick<LoadOptions, 'nodesFile' | 'overrides'> & PlanOptions): Promise<Plan>;
  start(opts?: RunOptions): RunHandle;
  run(opts?: RunOptions): Promise<RunResult>;
  /**
   * One run per parameter set (its overrides, merged over `opts.overrides`), at most `concurrency` at
   * once; the results in the order of the sets. A run that fails is a result like any other; an error
   * that ends a run before it starts (a bad override) rejects the whole map.
   */
  map(sets: readonly RunOverrides[], opts?: MapOptions): Promise<RunResult[]>;
}

export function openNetwork(file: string): NetworkFile {
  const start = (opts: RunOptions = {}) => startRun(file, opts);
  return {
    file,
    validate: (opts = {}) => validateNetwork(file, opts),
    plan: async (opts = {}) => {
      const { network } = await loadNetwork(file, { nodesFile: opts.nodesFile, overrides: opts.overrides });
      return place(network, opts.transport === undefined ? {} : { transport: opts.transport });
    },
    start,
    run: (opts = {}) => start(opts).done,
    map: async (sets, { concurrency = MAP_CONCURRENCY, ...opts } = {}) => {
      const queue = new PQueue({ concurrency });
      return Promise.all(sets.map((set) => queue.add(() => start({ ...opts, overrides: mergeOverrides(opts.overrides, set) }).done)));
    },
  };
}

/** `over` on top of `base`, key by key within each kind. */
function mergeOverrides(base: RunOverrides | undefined, over: RunOverrides): RunOverrides {
  if (base === undefined) return over;
  return {
    ...base,
    ...over,
    set: { ...base.set, ...over.set },
    env: { ...base.env, ...over.env },
    args: { ...base.args, ...over.args },
  };
}
