import { ScriptJob } from 'marvelo';

export interface LinePrinterParams {
  /** Characters of each line (at least the number itself). */
  width?: number;
}

/** Prints one line per block: the value, then filler up to `width` characters. */
export default class LinePrinter extends ScriptJob<LinePrinterParams> {
  private filler = '';

  setup(): void {
    this.filler = ' ' + '.'.repeat(Math.max(0, (this.params.width ?? 100) - 1));
  }

  run(value: number): void {
    const text = String(value);
    console.log(text + this.filler.slice(0, Math.max(0, (this.params.width ?? 100) - text.length)));
  }
}
