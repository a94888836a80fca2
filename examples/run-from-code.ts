/**
 * A network run from code with marvelo's API, as a program that embeds marvelo would do it: validate
 * and resolve the network file, run it while watching its events, then read the summary.
 *
 *   npm run build
 *   node scripts/run-example.mjs examples/run-from-code.ts networks/demo.yaml
 */
import { formatError, loadNetwork, MarveloError, MarveloErrors, run, type RunEvent } from 'marvelo';

const file = process.argv[2];
if (file === undefined) {
  console.error('usage: run-from-code <network.yaml>');
  process.exit(2);
}

try {
  // Every mistake in the file comes back at once, each with its file, line and hint.
  const { network } = await loadNetwork(file);
  console.log(`${network.name}: ${network.jobs.map((j) => j.name).join(', ')}`);

  const onEvent = (e: RunEvent) => {
    if (e.type === 'job-finished') console.log(`job ${e.job} finished after ${e.stats.rounds} rounds`);
    if (e.type === 'job-failed') console.log(`job ${e.job} failed: ${e.failure.message}`);
  };
  const result = await run(file, { onEvent });
  const { summary } = result;
  for (const pipe of summary.pipes) console.log(`pipe ${pipe.pipe}: ${pipe.blocks} blocks`);
  console.log(`${summary.status} (exit code ${result.exitCode})`);
  process.exitCode = result.exitCode;
} catch (err) {
  const errors = err instanceof MarveloErrors ? err.errors : err instanceof MarveloError ? [err] : undefined;
  if (errors === undefined) throw err;
  for (const e of errors) console.error(formatError(e));
  process.exitCode = 1;
}
