/**
 * A growable FIFO of blocks kept in parallel ring arrays (SQN, head, payload): pushing and shifting
 * allocate nothing except when the ring doubles. The caller bounds its length through flow control.
 * The capacity is a power of two, so positions wrap with a mask.
 */
export class BlockQueue<P> {
  #sqns: Float64Array;
  #heads: Uint32Array;
  #payloads: (P | undefined)[];
  #first = 0;
  #length = 0;
  #mask: number;

  constructor(initialCapacity = 16) {
    const capacity = 2 ** Math.ceil(Math.log2(Math.max(1, initialCapacity)));
    this.#mask = capacity - 1;
    this.#sqns = new Float64Array(capacity);
    this.#heads = new Uint32Array(capacity);
    this.#payloads = new Array<P | undefined>(capacity).fill(undefined);
  }

  get length(): number {
    return this.#length;
  }

  push(sqn: number, head: number, payload: P): void {
    if (this.#length === this.#sqns.length) this.#grow();
    const at = (this.#first + this.#length) & this.#mask;
    this.#sqns[at] = sqn;
    this.#heads[at] = head;
    this.#payloads[at] = payload;
    this.#length++;
  }

  /** The first block's SQN; only valid when length > 0. */
  firstSqn(): number {
    return this.#sqns[this.#first]!;
  }

  firstHead(): number {
    return this.#heads[this.#first]!;
  }

  firstPayload(): P {
    return this.#payloads[this.#first] as P;
  }

  /** The SQN of the block `i` places after the first (0 <= i < length). */
  sqnAt(i: number): number {
    return this.#sqns[(this.#first + i) & this.#mask]!;
  }

  headAt(i: number): number {
    return this.#heads[(this.#first + i) & this.#mask]!;
  }

  payloadAt(i: number): P {
    return this.#payloads[(this.#first + i) & this.#mask] as P;
  }

  /** Drops the first block (the caller read it through the first* accessors). */
  shift(): void {
    this.#payloads[this.#first] = undefined;
    this.#first = (this.#first + 1) & this.#mask;
    this.#length--;
  }

  #grow(): void {
    const capacity = this.#sqns.length;
    const sqns = new Float64Array(capacity * 2);
    const heads = new Uint32Array(capacity * 2);
    const payloads = new Array<P | undefined>(capacity * 2).fill(undefined);
    for (let i = 0; i < this.#length; i++) {
      const from = (this.#first + i) & this.#mask;
      sqns[i] = this.#sqns[from]!;
      heads[i] = this.#heads[from]!;
      payloads[i] = this.#payloads[from];
    }
    this.#sqns = sqns;
    this.#heads = heads;
    this.#payloads = payloads;
    this.#first = 0;
    this.#mask = capacity * 2 - 1;
  }
}
