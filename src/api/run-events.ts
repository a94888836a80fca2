import type { RunEvent } from './run.js';

/** The events a run's record keeps in events.jsonl: its state changes and its hooks' outcomes, not its logs, metrics or samples. */
export const STATE_EVENTS = new Set<RunEvent['type']>([
  'planned',
  'shipped',
  'started',
  'job-finished',
  'job-failed',
  'job-exited',
  'job-restarting',
  'job-restarted',
  'retrying',
  'notice',
  'timed-out',
  'hook',
]);

/**
 * A run's state events for `RunHandle.events()`: each iterator gets every event from the run's start
 * (so one opened late misses nothing), then the new ones as they come, and ends with the run. They are
 * few (a handful per job), so all are kept.
 */
export class RunEventLog {
  private readonly kept: RunEvent[] = [];
  private readonly waiting = new Set<() => void>();
  private ended = false;

  push(e: RunEvent): void {
    if (this.ended || !STATE_EVENTS.has(e.type)) return;
    this.kept.push(e);
    this.wake();
  }

  end(): void {
    this.ended = true;
    this.wake();
  }

  async *iterate(): AsyncGenerator<RunEvent, void, undefined> {
    let next = 0;
    for (;;) {
      while (next < this.kept.length) yield this.kept[next++]!;
      if (this.ended) return;
      await new Promise<void>((resolve) => this.waiting.add(resolve));
    }
  }

  private wake(): void {
    for (const w of this.waiting) w();
    this.waiting.clear();
  }
}
