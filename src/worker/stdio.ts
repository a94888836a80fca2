/**
 * The worker's stdout is its control channel, so nothing a job prints may reach fd 1 directly.
 * Job output (console.log, process.stdout.write, the same for stderr) becomes `log` messages,
 * batched per event-loop turn so a job that prints per block costs one message per turn.
 */
export type LogSink = (stream: 'stdout' | 'stderr', lines: string[]) => void;

export interface CapturedStdio {
  /** Writes to the real fd 1 (the control channel). */
  writeControl(chunk: Uint8Array): void;
  /** Sends any partial line still buffered. */
  flush(): void;
}

export function captureStdio(sink: LogSink): CapturedStdio {
  const realStdoutWrite = process.stdout.write.bind(process.stdout);
  const streams = { stdout: new LineBuffer('stdout', sink), stderr: new LineBuffer('stderr', sink) };
  const patch = (name: 'stdout' | 'stderr') => {
    const target = process[name];
    target.write = ((chunk: string | Uint8Array, enc?: unknown, cb?: unknown): boolean => {
      streams[name].add(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      const done = typeof enc === 'function' ? enc : cb;
      if (typeof done === 'function') queueMicrotask(() => (done as () => void)());
      return true;
    }) as typeof target.write;
  };
  patch('stdout');
  patch('stderr');
  return {
    writeControl: (chunk) => {
      realStdoutWrite(chunk);
    },
    flush: () => {
      streams.stdout.flush(true);
      streams.stderr.flush(true);
    },
  };
}

class LineBuffer {
  private partial = '';
  private lines: string[] = [];
  private scheduled = false;

  constructor(
    private readonly stream: 'stdout' | 'stderr',
    private readonly sink: LogSink,
  ) {}

  add(text: string): void {
    const parts = (this.partial + text).split('\n');
    this.partial = parts.pop() ?? '';
    for (const p of parts) this.lines.push(p);
    if (this.lines.length > 0 && !this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush(false));
    }
  }

  flush(all: boolean): void {
    this.scheduled = false;
    if (all && this.partial !== '') {
      this.lines.push(this.partial);
      this.partial = '';
    }
    if (this.lines.length === 0) return;
    const lines = this.lines;
    this.lines = [];
    this.sink(this.stream, lines);
  }
}
