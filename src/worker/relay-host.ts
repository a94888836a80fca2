import { HostLifecycle } from './host-lifecycle.js';

/** What one step of a relay did: passed something on, must wait for blocks or room, or has nothing more to pass. */
export type RelayStep = 'moved' | 'wait' | 'end';

/**
 * A host with no job of its own that passes blocks on (the splitter and merger around replicas): it
 * moves blocks step by step while it can, returns the credit of what it took, and finishes when its
 * consumers are gone or it has nothing more to pass on.
 */
export abstract class RelayHost extends HostLifecycle {
  private busy = false;

  /** Moves one unit (a round, a result) on, if it can now. */
  protected abstract step(): RelayStep;
  /** Nothing will come to move any more (checked once a pump has moved what it could). */
  protected abstract get drained(): boolean;

  start(): void {
    this.started = true;
    this.pump();
  }

  /** Every block waits in the host's own queues: a step takes it once it can pass it on. */
  runNow(): boolean {
    return false;
  }

  onOutputChange(): void {
    this.outputsChanged();
    this.pump();
  }

  dispose(): void {}

  protected teardown(): void {}

  protected pump(): void {
    if (!this.started || this.busy || this.done) return;
    this.busy = true;
    let last: RelayStep;
    try {
      do last = this.outputsClosed ? 'end' : this.step();
      while (last === 'moved');
    } catch (err) {
      this.fail(err, 'run');
      return;
    }
    this.busy = false;
    this.returnCredit();
    if (last === 'end' || this.drained) void this.finish();
  }
}
