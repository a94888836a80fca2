/** Where client-feed items go once the workers run (the supervisor). */
export interface FeedTarget {
  feed(job: string, items: unknown[]): void;
  endFeed(job: string): void;
}

type HeldOp = { job: string; items: unknown[] } | { job: string; end: true };

/**
 * Client-feed items (console lines, logging samples) sent before the workers run are held and passed
 * on in order once they do; after the run, everything is dropped.
 */
export class ClientFeeds implements FeedTarget {
  private target: FeedTarget | undefined;
  private held: HeldOp[] = [];
  private closed = false;

  attach(target: FeedTarget): void {
    if (this.closed) return;
    this.target = target;
    for (const op of this.held) {
      if ('end' in op) target.endFeed(op.job);
      else target.feed(op.job, op.items);
    }
    this.held = [];
  }

  /** The network runs again (a retry): hold items until its new workers run. */
  detach(): void {
    this.target = undefined;
  }

  close(): void {
    this.closed = true;
    this.target = undefined;
    this.held = [];
  }

  feed(job: string, items: unknown[]): void {
    if (this.target) this.target.feed(job, items);
    else if (!this.closed) this.held.push({ job, items });
  }

  endFeed(job: string): void {
    if (this.target) this.target.endFeed(job);
    else if (!this.closed) this.held.push({ job, end: true });
  }
}
