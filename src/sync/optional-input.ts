import type { OptionalSpec } from '../config/types.js';

/**
 * An async/optional input: it bypasses the round assembler and never blocks the job.
 * read() gives the next queued value (FIFO), else the last value read (with `store`), else the
 * default. The queue holds at most `buffer` values; when full, `drop: 'oldest'` loses the oldest
 * value and queues the new one, `drop: 'newest'` loses the new one (never both, unlike the original).
 */
export class OptionalInput<P> {
  readonly #default: P;
  readonly #store: boolean;
  readonly #buffer: number;
  readonly #dropOldest: boolean;
  #ring: (P | undefined)[] = new Array<P | undefined>(4).fill(undefined);
  #first = 0;
  #length = 0;
  #hasLastRead = false;
  #lastRead: P | undefined;
  #dropped = 0;
  #received = 0;
  #lastSqn = 0;
  #skipped = 0;

  /** `spec.default` must be a value of the input's type P (the config layer checks it). */
  constructor(spec: OptionalSpec) {
    if (!Number.isInteger(spec.buffer) || spec.buffer < 1) {
      throw new RangeError(`an optional input's buffer must be an integer >= 1, got ${spec.buffer}`);
    }
    this.#default = spec.default as P;
    this.#store = spec.store;
    this.#buffer = spec.buffer;
    this.#dropOldest = spec.drop === 'oldest';
  }

  /** Values lost to a full buffer. */
  get dropped(): number {
    return this.#dropped;
  }

  /** SQNs that never arrived (dropped by the producer): an optional input has no dummies, it skips them. */
  get skipped(): number {
    return this.#skipped;
  }

  /** Values waiting to be read. */
  get queued(): number {
    return this.#length;
  }

  /** Values ever pushed. */
  get received(): number {
    return this.#received;
  }

  /** A value arrived; `sqn` (its block's) counts the SQNs skipped before it. */
  push(value: P, sqn = this.#lastSqn + 1): void {
    this.#received++;
    if (sqn > this.#lastSqn + 1) this.#skipped += sqn - this.#lastSqn - 1;
    this.#lastSqn = sqn;
    if (this.#length === this.#buffer) {
      this.#dropped++;
      if (!this.#dropOldest) return;
      this.#removeFirst();
    }
    if (this.#length === this.#ring.length) this.#grow();
    this.#ring[(this.#first + this.#length) % this.#ring.length] = value;
    this.#length++;
  }

  /** The stream ended at `lastSqn` (the last SQN its producer made): the blocks after the last value were skipped. */
  end(lastSqn: number): void {
    if (lastSqn > this.#lastSqn) this.#skipped += lastSqn - this.#lastSqn;
    this.#lastSqn = Math.max(lastSqn, this.#lastSqn);
  }

  read(): P {
    if (this.#length > 0) {
      const value = this.#removeFirst();
      if (this.#store) {
        this.#lastRead = value;
        this.#hasLastRead = true;
      }
      return value;
    }
    return this.#hasLastRead ? (this.#lastRead as P) : this.#default;
  }

  #removeFirst(): P {
    const value = this.#ring[this.#first] as P;
    this.#ring[this.#first] = undefined;
    this.#first = (this.#first + 1) % this.#ring.length;
    this.#length--;
    return value;
  }

  /** Doubles the ring, never past the buffer bound. */
  #grow(): void {
    const capacity = Math.min(this.#buffer, this.#ring.length * 2);
    const ring = new Array<P | undefined>(capacity).fill(undefined);
    for (let i = 0; i < this.#length; i++) ring[i] = this.#ring[(this.#first + i) % this.#ring.length];
    this.#ring = ring;
    this.#first = 0;
  }
}
