import { ScriptJob } from 'marvelo';

export interface PrintParams {
  /** Text before each value. */
  prefix?: string;
  /** Also print the head bits (corrupted, reset, finished) of each round. */
  heads?: boolean;
}

/** A sink that prints every value it receives, one line per round. */
export default class Print extends ScriptJob<PrintParams> {
  run(...values: unknown[]): void {
    const { prefix = '', heads = false } = this.params;
    const text = values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(' ');
    const h = this.head;
    const flags = heads ? ` [${h.corrupted ? 'C' : '-'}${h.reset ? 'R' : '-'}${h.finished ? 'F' : '-'}]` : '';
    console.log(`${prefix}${text}${flags}`);
  }
}
