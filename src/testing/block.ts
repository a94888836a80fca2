/** A block the test gives a job: a value with the head it carries (marvelo/testing). */
export class TestBlock {
  constructor(
    readonly value: unknown,
    /** The head's value: the user bits (and corrupted, bit 0) as a number; the runtime adds reset and finished. */
    readonly head: number,
  ) {}
}

export interface BlockOptions {
  /** The block's head as a number, e.g. 0x10 (default 0). */
  head?: number;
}

/** A value that carries a head: `block(3, { head: 0x10 })`; a bare value carries head 0. */
export function block(value: unknown, opts: BlockOptions = {}): TestBlock {
  return new TestBlock(value, opts.head ?? 0);
}

/** One block a collected pipe carried. */
export interface CollectedBlock {
  value: unknown;
  /** The head as it arrived, runtime bits included: reset on the first block, finished on the last one when it carries it. */
  head: number;
  sqn: number;
}

export function asBlock(item: unknown): TestBlock {
  return item instanceof TestBlock ? item : new TestBlock(item, 0);
}
