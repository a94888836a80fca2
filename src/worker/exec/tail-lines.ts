import { LineSplitter } from '../line-splitter.js';

/** Keeps the last `max` lines of a text stream that arrives in chunks (a failed program's stderr). */
export class TailLines {
  private readonly lines: string[] = [];
  private readonly splitter = new LineSplitter((line) => this.keep(line));

  constructor(private readonly max: number) {}

  push(text: string): void {
    this.splitter.push(text);
  }

  /** The kept lines, the unterminated last one included. */
  get(): string[] {
    const pending = this.splitter.pending;
    return pending === '' ? [...this.lines] : [...this.lines, pending].slice(-this.max);
  }

  /** A whole line (from a splitter of the caller's own). */
  keep(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.max) this.lines.shift();
  }
}
