/**
 * The worker's stdout is its control channel, so nothing a job prints may reach fd 1 directly.
 * Job output (console.log, process.stdout.write, the same for stderr) becomes `log` messages,
 * batched per event-loop turn so a job that prints per block costs one message per turn.
 *
 * Writes to the control channel are blocking: a job that prints faster than the client takes its lines
 * waits in its print, as a program writing to a full pipe does, and what was written before an exit has
 * reached the channel. The lines a job prints within one turn are sent once they reach LOG_BATCH_CHARS,
 * so a job printing in a loop that never yields holds at most that much.
 */
export type LogSink = (stream: 'stdout' | 'stderr', lines: string[]) => void;

export interface CapturedStdio {
  /** Writes to the real fd 1 (the control channel); returns once the bytes are in the channel. */
  writeControl(chunk: Uint8Array): void;
  /** Sends any partial line still buffered. */
  flush(): void;
}

/** Lines held for the next `log` message: once they add up to this many characters they are sent at once. */
const LOG_BATCH_CHARS = 64 * 1024;

/** The libuv handle of a stream on a pipe or socket (not in Node's types). */
interface HandleOwner {
  _handle?: { setBlocking?: (blocking: boolean) => number };
}

export function captureStdio(sink: LogSink): CapturedStdio {
  // fd 1 is a pipe or socket (a file or a terminal is written synchronously already).
  (process.stdout as unknown as HandleOwner)._handle?.setBlocking?.(true);
  const realStdoutWrite = process.stdout.write.bind(process.stdout);
  const streams = { stdout: new LineBuffer('stdout', sink), stderr: new LineBuffer('stderr', sink) };
  const patch = (name: 'stdout' | 'stderr', other: LineBuffer) => {
    const target = process[name];
    const own = streams[name];
    target.write = ((chunk: string | Uint8Array, enc?: unknown, cb?: unknown): boolean => {
      // The other stream's lines were printed first: they go first.
      other.flush(false);
      own.add(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      const done = typeof enc === 'function' ? enc : cb;
      if (typeof done === 'function') queueMicrotask(() => (done as () => void)());
      return true;
    }) as typeof target.write;
  };
  patch('stdout', streams.stderr);
  patch('stderr', streams.stdout);
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
  private chars = 0;
  private scheduled = false;

  constructor(
    private readonly stream: 'stdout' | 'stderr',
    private readonly sink: LogSink,
  ) {}

  add(text: string): void {
    const parts = (this.partial + text).split('\n');
    this.partial = parts.pop() ?? '';
    for (const p of parts) {
      this.lines.push(p);
      this.chars += p.length;
    }
    if (this.chars >= LOG_BATCH_CHARS) this.flush(false);
    else if (this.lines.length > 0 && !this.scheduled) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.flush(false);
      });
    }
  }

  flush(all: boolean): void {
    if (all && this.partial !== '') {
      this.lines.push(this.partial);
      this.partial = '';
    }
    if (this.lines.length === 0) return;
    const lines = this.lines;
    this.lines = [];
    this.chars = 0;
    this.sink(this.stream, lines);
  }
}
