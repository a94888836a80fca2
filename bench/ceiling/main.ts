#!/usr/bin/env node
/**
 * Entry point of the ceiling processes (dist/bench/ceiling/main.js): minimal programs of the same
 * process shape as a network, doing only the unavoidable work. See stage-process.ts.
 *   node dist/bench/ceiling/main.js stage --kind forward --payload int --in a.sock --out b.sock
 *   node dist/bench/ceiling/main.js startup-client --dir <dir>
 */
import { applyWorkerV8Flags } from '../../src/worker/boot/v8-flags.js';
import { parseStageOptions } from './stage-options.js';
import { runStage } from './stage-process.js';
import { runStartupClient } from './startup-client.js';

const [role, ...rest] = process.argv.slice(2);
// the runtime's workers run with these flags, so the minimal programs do too: the ratio compares code
if (role === 'stage') applyWorkerV8Flags();
const main = role === 'stage' ? runStage(parseStageOptions(rest)) : role === 'startup-client' ? runStartupClient(rest) : undefined;
if (main === undefined) {
  process.stderr.write('usage: main.js stage --kind <kind> ... | startup-client --dir <dir>\n');
  process.exit(2);
}
main.catch((err: unknown) => {
  process.stderr.write(`ceiling ${role}: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
