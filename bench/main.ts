#!/usr/bin/env node
/**
 * The bench runner (dist/bench/main.js; `npm run bench`). See docs/performance.md.
 *   npm run bench [-- --quick] [-- --only small-chain,rss] [-- --repeats 5]
 *   npm run bench -- --profile small-chain
 */
import { parseBenchArgs, USAGE } from './args.js';
import { profileScenario } from './profile/profile-run.js';
import { runAll } from './runner.js';
import { runScenarioProcess } from './scenario-process.js';

async function main(): Promise<number> {
  let args;
  try {
    args = parseBenchArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (args.scenario !== undefined) {
    await runScenarioProcess(args.scenario, args.quick, args.repeats);
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  }
  if (args.profile !== undefined) {
    await profileScenario(args.profile, args.quick);
    return 0;
  }
  return runAll(args);
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 1;
  },
);
