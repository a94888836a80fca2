/** A local worker's command line: `node <worker entry> --marvelo-run <id> [--marvelo-job <job> | --marvelo-temp-run-dir <dir>]`. */

/** The run's id, so that `ps` shows which run a worker belongs to. */
export const RUN_ARG = '--marvelo-run';
/** The job of a worker started for it (prestarted workers learn theirs from `init`). */
export const JOB_ARG = '--marvelo-job';
/**
 * The run's temporary folder, given to prestarted workers: if the control channel closes before an
 * `init` told the worker the run (the client was killed while loading the network), the worker removes
 * the folder, as every worker does when its client dies after the init.
 */
export const TEMP_RUN_DIR_ARG = '--marvelo-temp-run-dir';
