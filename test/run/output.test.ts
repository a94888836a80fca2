import { execFileSync } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, jobLines, processesTagged, startCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp-dir.js';

/** The chatty fixture's source prints this many lines of ~110 characters. */
const LINES = 100_000;

/** The lines src printed: 00000001 xxx... to LINES, in order. */
function expectEveryLine(output: string): void {
  const lines = jobLines(output, 'src');
  expect(lines.length).toBe(LINES);
  const pad = 'x'.repeat(100);
  const wrong = lines.findIndex((l, i) => l !== `${String(i + 1).padStart(8, '0')} ${pad}`);
  expect(wrong).toBe(-1);
}

/**
 * How far the job may print ahead of a reader that has not read its lines. Between the two, the
 * lines can only be in fixed-size buffers: the worker's batch of lines (64 KiB), its control socket
 * (the kernel's, a few hundred KiB), the client's read chunk and its stdout buffer (~64 KiB each), the
 * pipe to the reader (64 KiB) and the reader's own buffer; under 1 MB, ~9 000 lines of ~117 bytes.
 * The job reports its progress every 1 000 lines.
 */
const MAX_AHEAD = 20_000;

describe('run - a job that prints a lot', () => {
  it('every line reaches a file, in order, and the run finishes', async () => {
    const dir = tempDir();
    const file = join(dir, 'out.txt');
    const fd = openSync(file, 'w');
    const run = startCli(['run', fixture('chatty.yaml')], { stdout: fd });
    closeSync(fd);
    const r = await run.done;
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
    expectEveryLine(readFileSync(file, 'utf8'));
    expect(processesTagged(r.tag)).toEqual([]);
  });

  it('a job printing to a slow pipe reader waits for it: every line arrives, in order', async () => {
    const dir = tempDir();
    const fifo = join(dir, 'out.fifo');
    execFileSync('mkfifo', [fifo]);
    const progress = join(dir, 'progress');
    const reader = open(fifo, 'r'); // waits in the thread pool for the writer opened next
    const fd = openSync(fifo, 'w');
    const run = startCli(['run', fixture('chatty.yaml')], { stdout: fd, env: { PROGRESS: progress } });
    closeSync(fd);
    const fh = await reader;
    const chunks: Buffer[] = [];
    let linesRead = 0;
    let maxAhead = 0;
    try {
      // Read 4 KiB at a time, with a pause after each read: a reader far slower than the job.
      for (;;) {
        const { bytesRead, buffer } = await fh.read(Buffer.alloc(4096), 0, 4096);
        if (bytesRead === 0) break;
        const chunk = buffer.subarray(0, bytesRead);
        chunks.push(chunk);
        for (const b of chunk) if (b === 10) linesRead++;
        const printed = Number(readFileOr(progress, '0'));
        maxAhead = Math.max(maxAhead, printed - linesRead);
        await new Promise((r) => setTimeout(r, 1));
      }
    } finally {
      await fh.close();
    }
    const r = await run.done;
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
    expectEveryLine(Buffer.concat(chunks).toString('utf8'));
    console.log(`the job printed at most ${maxAhead} lines ahead of the reader`);
    expect(maxAhead).toBeLessThan(MAX_AHEAD);
    expect(processesTagged(r.tag)).toEqual([]);
  });
});

/** The file's text, or `otherwise` if it is missing or being rewritten (empty). */
function readFileOr(file: string, otherwise: string): string {
  try {
    return readFileSync(file, 'utf8') || otherwise;
  } catch {
    return otherwise;
  }
}
