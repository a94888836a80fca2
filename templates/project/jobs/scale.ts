import { ScriptJob } from 'marvelo';

/** A connector: each value times `factor`, once per round. */
export default class Scale extends ScriptJob<{ factor: number }> {
  run(value: number): number {
    return value * this.params.factor;
  }
}
