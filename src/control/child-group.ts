/**
 * The job's program leads a process group of its own, which a worker killed with kill -9 cannot end:
 * the client ends it when the worker exits, and the launcher's keeper if the client dies.
 */
import type { Worker } from './worker.js';

type GroupOwner = Pick<Worker, 'handle' | 'state' | 'childGroup'>;

/** The worker reported the process group of its job's program. */
export function watchChildGroup(w: GroupOwner, pgid: number): void {
  // a group of 0 would be the killer's own, and 1 (kill -1) every process it may signal
  if (!Number.isSafeInteger(pgid) || pgid <= 1) return;
  w.childGroup = pgid;
  w.handle.watchGroup?.(pgid);
  if (w.state === 'exited') endChildGroup(w);
}

/** The worker exited: what is left of its program's group goes too. */
export function endChildGroup(w: GroupOwner): void {
  if (w.childGroup === undefined) return;
  w.handle.killGroup?.(w.childGroup);
  w.childGroup = undefined;
}

/** The job finished: its worker ended the program's group, whose number may now be reused. */
export function forgetChildGroup(w: GroupOwner): void {
  if (w.childGroup === undefined) return;
  w.handle.forgetGroup?.(w.childGroup);
  w.childGroup = undefined;
}
