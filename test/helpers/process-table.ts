/** The process table (Linux /proc), without vitest: the chaos runs of `npm run soak` use it too. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { RUN_ARG } from '../../src/worker/boot/args.js';

/** PIDs of live (not zombie) processes that `accept` takes; `accept` may throw if the process ends meanwhile. */
export function liveProcesses(accept: (pid: number) => boolean): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (!accept(Number(entry))) continue;
      const stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
      const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      if (state !== 'Z') pids.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}

/** PIDs of live processes whose environment carries the tag (MARVELO_TEST_TAG=<tag>). */
export function processesTagged(tag: string): number[] {
  const needle = `MARVELO_TEST_TAG=${tag}`;
  return liveProcesses((pid) => readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(needle));
}

/** PIDs of live processes of the user `uid` whose command line contains `text`. */
export function processesOfUserWith(uid: number, text: string): number[] {
  return liveProcesses(
    (pid) => statSync(`/proc/${pid}`).uid === uid && readFileSync(`/proc/${pid}/cmdline`, 'latin1').includes(text),
  );
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

/** The marvelo workers this process started that are still alive (none once a run it made has ended). */
export function ownWorkers(): number[] {
  return workerProcesses(liveProcesses((pid) => parentOf(pid) === process.pid));
}

function parentOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}
