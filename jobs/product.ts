import { ScriptJob } from 'marvelo';

/** Joins its inputs round by round: the product of one value from each. */
export default class Product extends ScriptJob {
  run(...values: number[]): number {
    let p = 1;
    for (const v of values) p *= v;
    return p;
  }
}
