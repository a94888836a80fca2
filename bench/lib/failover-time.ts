/**
 * Times a failover: a run of bench/networks/failover-restart.yaml (tick on one node, `far` with
 * `on_failure: restart` on another, show on the client, printing every value with its head bits); once
 * blocks reach the client, `inflict` kills far's node, and the figure is the time from just before the
 * kill to the first value `show` prints after far's replacement started (the job-restarted event), on
 * one monotonic clock in this process. Blocks lost: the values 1..limit show never printed as real
 * values (a dummy does not count); duplicates: values printed more than once.
 */
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { startRun, type RunEvent } from '../../src/api/run.js';
import { nowNs } from './clock.js';
import type { FaultPlacement, Inflict } from './fault-detection.js';
import { benchNetwork, materializeNetwork } from './network-file.js';

/** Values tick makes (failover-restart.yaml): the run lasts a few seconds at one value per ms. */
const LIMIT = 3000;
/** The fault comes once show has printed this many values. */
const FAULT_AFTER = 300;

export interface Failover {
  /** ms from just before the kill to the first value printed after the replacement started. */
  ms: number;
  blocksLost: number;
  duplicates: number;
  /** Where far ran again. */
  movedTo: string;
  /** The first values lost, and lines that were not real values (dummies), for the log. */
  missing: number[];
  odd: string[];
}

export async function timeFailover(parent: string, placement: FaultPlacement, inflict: Inflict): Promise<Failover> {
  const dir = mkdtempSync(join(parent, 'failover-'));
  const file = materializeNetwork(benchNetwork('failover-restart'), { tick: { limit: LIMIT } }, dir, {
    nodes: placement.nodes,
    jobs: { tick: placement.tickNode, far: placement.farNode, show: 'LOCAL' },
  });
  const printed: string[] = [];
  let farPid: number | undefined;
  let faultNs = 0;
  let restartedTo: string | undefined;
  let firstAfterNs = 0;
  let struck = false;
  const handle = startRun(file, {
    runDir: join(dir, 'run'),
    onEvent: (e: RunEvent) => {
      if (e.type === 'started') farPid = e.workers.find((w) => w.job === 'far')?.pid;
      else if (e.type === 'job-restarted' && e.job === 'far') restartedTo = e.node;
      else if (e.type === 'log' && e.job === 'show') {
        printed.push(e.line);
        if (restartedTo !== undefined && firstAfterNs === 0) firstAfterNs = nowNs();
        if (!struck && printed.length >= FAULT_AFTER && farPid !== undefined) {
          struck = true;
          faultNs = inflict(farPid);
        }
      }
    },
  });
  const { summary } = await handle.done;
  if (!struck) throw new Error(`the failover run ${summary.status} before ${FAULT_AFTER} values reached the client`);
  if (restartedTo === undefined || firstAfterNs === 0) {
    throw new Error(`far was not restarted after its node was killed (the run ${summary.status}${summary.failure ? `: ${summary.failure.message}` : ''})`);
  }
  const real = printed.filter((l) => / \[-[R-][F-]\]$/.test(l)).map((l) => Number(l.split(' ')[0]));
  const distinct = new Set(real);
  const missing: number[] = [];
  for (let v = 1; v <= LIMIT; v++) if (!distinct.has(v)) missing.push(v);
  const odd = printed.filter((l) => !/ \[-[R-][F-]\]$/.test(l)).slice(0, 5);
  return { ms: (firstAfterNs - faultNs) / 1e6, blocksLost: missing.length, duplicates: real.length - distinct.size, movedTo: restartedTo, missing: missing.slice(0, 10), odd };
}
