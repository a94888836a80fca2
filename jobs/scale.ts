import { ScriptJob } from 'marvelo';

/**
 * Multiplies each value by a factor, typically read from an optional pipe (a console): the last factor
 * received, or the pipe's default. A factor that is not a number is reported once and ignored: the last
 * numeric factor (1 at first) stays. MARVELO's demo v4 join.
 */
export default class Scale extends ScriptJob {
  private factor = 1;
  private rejected: unknown = undefined;

  run(value: number, factor: unknown): number {
    if (typeof factor === 'number') this.factor = factor;
    else if (factor !== this.rejected) {
      this.rejected = factor;
      console.error(`factor ${JSON.stringify(factor)} is not a number: keeping ${this.factor}`);
    }
    return value * this.factor;
  }
}
