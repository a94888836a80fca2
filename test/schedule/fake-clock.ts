import type { Clock } from '../../src/schedule/clock.js';
import type { ScheduledRun } from '../../src/schedule/scheduler.js';

/** A clock that only moves when told: set() fires every timer due by then, in time order. */
export class FakeClock implements Clock {
  private timers: { at: number; fn: () => void }[] = [];
  constructor(private t: number) {}

  now(): number {
    return this.t;
  }

  setTimer(ms: number, fn: () => void): () => void {
    const timer = { at: this.t + Math.max(0, ms), fn };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((x) => x !== timer);
    };
  }

  set(iso: string | number): void {
    this.t = typeof iso === 'number' ? iso : Date.parse(iso);
    for (;;) {
      const due = this.timers.filter((x) => x.at <= this.t).sort((a, b) => a.at - b.at)[0];
      if (due === undefined) return;
      this.timers = this.timers.filter((x) => x !== due);
      due.fn();
    }
  }

  pending(): number {
    return this.timers.length;
  }
}

/** A run the test ends itself: finish(), or interrupt() as Ctrl-C would (exit code 130). */
export class FakeRun implements ScheduledRun {
  interrupted = false;
  private end!: (r: { ok: boolean; exitCode: number }) => void;
  readonly done = new Promise<{ ok: boolean; exitCode: number }>((r) => (this.end = r));
  constructor(readonly runId: string) {}

  finish(ok = true): void {
    this.end({ ok, exitCode: ok ? 0 : 1 });
  }

  interrupt(): void {
    this.interrupted = true;
    this.end({ ok: false, exitCode: 130 });
  }
}
