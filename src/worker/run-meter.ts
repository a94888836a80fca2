import type { ScriptJob } from '../jobs/script-job.js';

type AnyIterator = {
  next(value?: unknown): unknown;
  return?(value?: unknown): unknown;
  throw?(err?: unknown): unknown;
};

/**
 * Adds up the time a job spends in run(), for jobs marked `logging: true` only: it replaces run() on
 * that one job instance, so other jobs pay nothing. An async run() counts until its promise settles;
 * a generator counts each next() until its value is ready.
 */
export class RunMeter {
  private ms = 0;

  /** `source`: the job has no inputs, so an iterator from run() is its stream of values, not a value. */
  install(job: ScriptJob, source: boolean): void {
    const run = job.run as (...args: unknown[]) => unknown;
    const time = <T>(call: () => T): T => this.time(call);
    const wrapIterator = (it: AnyIterator) => this.wrapIterator(it);
    Object.defineProperty(job, 'run', {
      configurable: true,
      writable: true,
      value: function timedRun(this: ScriptJob, ...args: unknown[]): unknown {
        const result = time(() => run.apply(this, args));
        return source && isIterator(result) ? wrapIterator(result) : result;
      },
    });
  }

  /** Milliseconds spent in run() since the last call. */
  take(): number {
    const ms = this.ms;
    this.ms = 0;
    return ms;
  }

  private time<T>(call: () => T): T {
    const start = performance.now();
    let result: T;
    try {
      result = call();
    } catch (err) {
      this.ms += performance.now() - start;
      throw err;
    }
    if (isThenable(result)) {
      const settled = () => (this.ms += performance.now() - start);
      result.then(settled, settled);
    } else {
      this.ms += performance.now() - start;
    }
    return result;
  }

  private wrapIterator(it: AnyIterator): AnyIterator {
    const wrapped: AnyIterator & Record<symbol, unknown> = {
      next: (value?: unknown) => this.time(() => it.next(value)),
    };
    if (typeof it.return === 'function') wrapped.return = (value?: unknown) => it.return!(value);
    if (typeof it.throw === 'function') wrapped.throw = (err?: unknown) => it.throw!(err);
    const self = () => wrapped;
    if (Symbol.asyncIterator in it) wrapped[Symbol.asyncIterator] = self;
    if (Symbol.iterator in it) wrapped[Symbol.iterator] = self;
    return wrapped;
  }
}

function isThenable(x: unknown): x is PromiseLike<unknown> {
  return x !== null && (typeof x === 'object' || typeof x === 'function') && typeof (x as { then?: unknown }).then === 'function';
}

function isIterator(x: unknown): x is AnyIterator {
  if (x === null || typeof x !== 'object') return false;
  return typeof (x as AnyIterator).next === 'function' && (Symbol.iterator in x || Symbol.asyncIterator in x);
}
