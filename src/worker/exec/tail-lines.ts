/** Keeps the last `max` lines of a text stream that arrives in chunks (a failed program's stderr). */
export class TailLines {
  private readonly lines: string[] = [];
  private partial = '';

  constructor(private readonly max: number) {}

  push(text: string): void {
    const parts = (this.partial + text).split('\n');
    this.partial = parts.pop() ?? '';
    for (const line of parts) this.keep(line);
  }

  /** The kept lines, the unterminated last one included. */
  get(): string[] {
    return this.partial === '' ? [...this.lines] : [...this.lines, this.partial].slice(-this.max);
  }

  private keep(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.max) this.lines.shift();
  }
}
