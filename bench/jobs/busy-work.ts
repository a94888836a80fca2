import { ScriptJob } from 'marvelo';

export interface BusyWorkParams {
  /** Multiply-adds per block: a fixed amount of arithmetic, the same for every block. */
  iterations?: number;
}

/** A CPU-heavy connector: a fixed amount of arithmetic per block, its result mixed into the block's value. Keeps nothing between rounds. */
export default class BusyWork extends ScriptJob<BusyWorkParams> {
  static override STATELESS = true;
  private iterations = 0;

  setup(): void {
    this.iterations = this.params.iterations ?? 100_000;
  }

  run(value: number): number {
    let x = value | 0;
    for (let i = 0; i < this.iterations; i++) x = (Math.imul(x, 1103515245) + 12345) | 0;
    return value + (x & 1);
  }
}
