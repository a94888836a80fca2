/** The process table (Linux /proc), without vitest: the chaos runs of `npm run soak` use it too. */
import { readdirSync, readFileSync } from 'node:fs';
import { RUN_ARG } from '../../src/launch/worker-args.js';

/** PIDs of live processes whose environment carries the tag (MARVELO_TEST_TAG=<tag>). */
export function processesTagged(tag: string): number[] {
  const needle = `MARVELO_TEST_TAG=${tag}`;
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const env = readFileSync(`/proc/${entry}/environ`, 'latin1');
      if (!env.split('\0').includes(needle)) continue;
      const stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
      const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      if (state !== 'Z') pids.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}

/** The marvelo worker processes among `pids` (the others are the client and its esbuild service). */
export function workerProcesses(pids: number[]): number[] {
  return pids.filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').includes(RUN_ARG);
    } catch {
      return false; // it ended while we looked
    }
  });
}
