/**
 * Splits console input (a socket, or the stdin of `marvelo run` or `marvelo console`) into lines of at
 * most CONSOLE_LINE_LIMIT bytes. A longer line is skipped up to its newline, so input without newlines
 * costs no more memory than one line (readline would buffer it until the string limit broke the client).
 */
import type { Readable } from 'node:stream';
import { MarveloError } from '../errors.js';

/** The longest console line, in bytes of UTF-8 without its newline: 1 MiB. */
export const CONSOLE_LINE_LIMIT = 1024 * 1024;

const NEWLINE = 0x0a;
const CR = 0x0d;

export class ConsoleLineSplitter {
  private parts: Buffer[] = [];
  private size = 0;
  private skipping = false;

  constructor(
    private readonly onLine: (line: string) => void,
    /** A line longer than the limit was skipped. */
    private readonly onTooLong: () => void,
    private readonly limit = CONSOLE_LINE_LIMIT,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(NEWLINE, start);
      const end = nl < 0 ? chunk.length : nl;
      if (!this.skipping) {
        if (this.size + (end - start) > this.limit) {
          this.skipping = true;
          this.parts = [];
          this.size = 0;
          this.onTooLong();
        } else if (end > start) {
          this.parts.push(chunk.subarray(start, end));
          this.size += end - start;
        }
      }
      if (nl < 0) return;
      if (this.skipping) this.skipping = false;
      else this.emit();
      start = nl + 1;
    }
  }

  /** The input ended: a last line without a newline still counts. */
  end(): void {
    if (!this.skipping && this.size > 0) this.emit();
    this.skipping = false;
  }

  private emit(): void {
    let bytes = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.size);
    if (bytes.length > 0 && bytes[bytes.length - 1] === CR) bytes = bytes.subarray(0, bytes.length - 1);
    this.parts = [];
    this.size = 0;
    this.onLine(bytes.toString('utf8'));
  }
}

/** Reads a stream line by line; `done` runs once at its end (or close). */
export function readConsoleLines(input: Readable, onLine: (line: string) => void, onTooLong: () => void, done?: () => void): ConsoleLineSplitter {
  const splitter = new ConsoleLineSplitter(onLine, onTooLong);
  let ended = false;
  const finish = () => {
    if (ended) return;
    ended = true;
    splitter.end();
    done?.();
  };
  input.on('data', (chunk: Buffer | string) => splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk));
  input.on('end', finish);
  input.on('close', finish);
  return splitter;
}

export function lineTooLongError(where: string): MarveloError {
  return new MarveloError('MRV_CONSOLE_LINE', `a line of more than ${CONSOLE_LINE_LIMIT} bytes (1 MiB) ${where} was skipped`, {
    hint: 'send one value per line; a console line is at most 1 MiB (a larger value belongs on a pipe from a job, not on the console)',
  });
}
