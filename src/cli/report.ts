import { MarveloError, MarveloErrors, formatError } from '../errors.js';

/**
 * Prints an error the way users should see it: our coded errors without our stack, anything else
 * (a bug in marvelo) with its stack. Returns the exit code.
 */
export function reportFatal(err: unknown): number {
  if (err instanceof MarveloErrors) {
    for (const e of err.errors) process.stderr.write(`error: ${formatError(e)}\n`);
    return 1;
  }
  if (err instanceof MarveloError) {
    process.stderr.write(`error: ${formatError(err)}\n`);
    return 1;
  }
  process.stderr.write(`marvelo: internal error: ${err instanceof Error ? err.stack : String(err)}\n`);
  return 70;
}
