import { ScriptJob } from 'marvelo';

/** With `block_count: n` on its input, adds up each group of n values. */
export default class Sum extends ScriptJob {
  run(values: number[] | number): number {
    if (!Array.isArray(values)) return values;
    let s = 0;
    for (const v of values) s += v;
    return s;
  }
}
