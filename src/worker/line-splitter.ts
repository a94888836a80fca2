/** Cuts text arriving in chunks into lines; the unterminated last one waits for more (or for end()). */
export class LineSplitter {
  private partial = '';
  constructor(private readonly onLine: (line: string) => void) {}

  push(text: string): void {
    const parts = (this.partial + text).split('\n');
    this.partial = parts.pop() ?? '';
    for (const line of parts) this.onLine(line);
  }

  /** What came after the last newline. */
  get pending(): string {
    return this.partial;
  }

  /** The text is over: its unterminated last line is a line too. */
  end(): void {
    if (this.partial !== '') this.onLine(this.partial);
    this.partial = '';
  }
}
