#!/usr/bin/env node
/**
 * Prints the top self-time functions of .cpuprofile files (node --cpu-prof):
 *   node dist/bench/profile/main.js [--top 15] <file.cpuprofile | folder> ...
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { formatProfileSummary, summarizeProfile } from './cpu-profile.js';

const { values, positionals } = parseArgs({
  options: { top: { type: 'string', default: '15' } },
  allowPositionals: true,
});
if (positionals.length === 0) {
  process.stderr.write('usage: node dist/bench/profile/main.js [--top 15] <file.cpuprofile | folder> ...\n');
  process.exit(2);
}
const files = positionals.flatMap((p) =>
  statSync(p).isDirectory()
    ? readdirSync(p).filter((f) => f.endsWith('.cpuprofile')).sort().map((f) => join(p, f))
    : [p],
);
for (const file of files) {
  process.stdout.write(formatProfileSummary(summarizeProfile(file, Number(values.top)), file) + '\n\n');
}
