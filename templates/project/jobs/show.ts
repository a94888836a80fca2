import { ScriptJob } from 'marvelo';

/** A sink: prints each value as it arrives, and their total at the end. */
export default class Show extends ScriptJob {
  private total = 0;

  run(value: number): void {
    this.total += value;
    console.log(`got ${value}`);
  }

  teardown(): void {
    console.log(`total ${this.total}`);
  }
}
