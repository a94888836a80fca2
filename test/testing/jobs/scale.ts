import { ScriptJob } from 'marvelo';

/** Multiplies every value by `factor`, and prints what it did. */
export default class Scale extends ScriptJob<{ factor: number }> {
  run(x: number): number {
    console.log(`scaling ${x}`);
    return x * this.params.factor;
  }
}
