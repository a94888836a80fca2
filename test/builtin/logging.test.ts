import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { processesTagged, runCli } from '../helpers/cli.js';
import { builtinFixture, readLines, tempDir } from './helpers.js';

const COLUMNS = 'time,job,pid,cpu_percent,rss_bytes,blocks_in,blocks_out,rounds,run_ms,interval_ms,child_pid,child_cpu_percent,child_rss_bytes';
const MB = 1024 * 1024;

type Row = Record<string, string>;

function rowsOf(lines: string[]): Row[] {
  const header = lines[0]!.split(',');
  return lines.slice(1).map((l) => Object.fromEntries(l.split(',').map((v, i) => [header[i]!, v])));
}

/** Non-decreasing, and grew over the run. */
function grows(values: number[]): boolean {
  return values.every((v, i) => i === 0 || v >= values[i - 1]!) && values[values.length - 1]! > values[0]!;
}

describe('builtin - logging and logging-sink', () => {
  it('writes one row per job and interval with plausible values; the last row of a job holds its totals', async () => {
    const dir = tempDir();
    const r = await runCli(['run', builtinFixture('logging.yaml'), '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    const lines = readLines(join(dir, 'log.csv'));
    expect(lines[0]).toBe(COLUMNS);
    const rows = rowsOf(lines);
    expect(new Set(rows.map((row) => row.job))).toEqual(new Set(['src', 'work']));
    const summary = JSON.parse(r.stdout);
    const sent = Object.fromEntries(summary.pipes.map((p: { pipe: string; sent: number }) => [p.pipe, p.sent]));
    for (const job of ['src', 'work']) {
      const mine = rows.filter((row) => row.job === job);
      // The source runs until 3 rows of 'work' were written; each job adds a last row when it finishes.
      expect(mine.length).toBeGreaterThanOrEqual(job === 'work' ? 4 : 2);
      for (const row of mine) {
        expect(Number.isNaN(Date.parse(row.time!))).toBe(false);
        expect(Number(row.pid)).toBeGreaterThan(0);
        expect(Number(row.cpu_percent)).toBeGreaterThanOrEqual(0);
        expect(Number(row.rss_bytes)).toBeGreaterThan(10 * MB);
        expect(Number(row.run_ms)).toBeGreaterThanOrEqual(0);
        expect(Number(row.interval_ms)).toBeGreaterThan(0);
        expect([row.child_pid, row.child_cpu_percent, row.child_rss_bytes]).toEqual(['', '', '']);
      }
      const counted = job === 'src' ? 'blocks_out' : 'blocks_in';
      expect(grows(mine.map((row) => Number(row[counted])))).toBe(true);
      expect(Number(mine[mine.length - 1]![counted])).toBe(sent.a);
      expect(Number(mine[mine.length - 1]!.rounds)).toBe(sent.a);
    }
    // builtin:logging sent the same samples as blocks: one JSON cell per sample in samples.csv.
    const samples = readLines(join(dir, 'samples.csv'));
    expect(samples[0]).toBe('s');
    const parsed = samples.slice(1).map((l) => JSON.parse(l.slice(1, -1).replaceAll('""', '"')) as Row);
    expect(parsed.map((s) => `${s.job} ${s.time}`)).toEqual(rows.map((row) => `${row.job} ${row.time}`));
    expect(processesTagged(r.tag)).toEqual([]);
  });

  it('a logged job without a logging job: a note, and the run goes on', async () => {
    const dir = tempDir();
    const r = await runCli(['run', builtinFixture('logging-nowhere.yaml')], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/note: jobs marked logging: true take samples, but no builtin:logging-sink or builtin:logging job receives them/);
    expect(processesTagged(r.tag)).toEqual([]);
  });
});
