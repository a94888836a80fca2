/** A worker's command line, on any node: `node <worker entry or runtime> --marvelo-run <id> [--marvelo-job <job>]`. The launchers build it. */

/** The run's id, so that `ps` shows which run a worker belongs to. */
export const RUN_ARG = '--marvelo-run';
/** The job of a worker started for it (prestarted workers learn theirs from `init`). */
export const JOB_ARG = '--marvelo-job';

/** The job a worker runs, on `globalThis` once its `init` came, for tools in the same process (the bench's profiler preload). */
export const JOB_GLOBAL = Symbol.for('marvelo.job');

/** The value after `name` in `argv`, if any. */
export function argValue(argv: readonly string[], name: string): string | undefined {
  const at = argv.indexOf(name);
  return at < 0 ? undefined : argv[at + 1];
}
