/** An async queue of items the client sends to a job (ScriptJob.clientFeed()). Unbounded: fed by people and timers. */
export class FeedQueue implements AsyncIterable<unknown> {
  private readonly items: unknown[] = [];
  private ended = false;
  private waiter: (() => void) | undefined;

  push(item: unknown): void {
    if (this.ended) return;
    this.items.push(item);
    this.wake();
  }

  end(): void {
    this.ended = true;
    this.wake();
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<unknown> {
    for (;;) {
      while (this.items.length > 0) yield this.items.shift();
      if (this.ended) return;
      await new Promise<void>((r) => (this.waiter = r));
    }
  }
}
