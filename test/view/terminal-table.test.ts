import { describe, expect, it } from 'vitest';
import type { LiveJob, LivePipe } from '../../src/api/live-state.js';
import { RateWindow, rowsOf, type Snapshot } from '../../src/view/terminal/rates.js';
import { renderProgressLine, renderStatus, type StatusView } from '../../src/view/terminal/table.js';

const ESC = '\x1b';

function job(name: string, o: Partial<LiveJob> = {}): LiveJob {
  return { job: name, node: 'local', state: 'running', rounds: 0, cpuMs: 0, rss: 50 * 1024 * 1024, ...o };
}
function pipe(name: string, consumer: string, o: Partial<LivePipe> = {}): LivePipe {
  return { pipe: name, producer: 'src', consumer, blocks: 0, bytes: 0, dropped: 0, dummies: 0, queued: 0, maxQueue: 64, ...o };
}

/** A chain of `n` jobs, at two snapshots a second apart. */
function chainView(n: number, names = (i: number) => `job${i}`): StatusView {
  const jobs = (k: number) => Array.from({ length: n }, (_, i) => job(names(i), { rounds: 1000 * k, cpuMs: 400 * k, node: `node-${i % 3}` }));
  const pipes = (k: number) => Array.from({ length: n - 1 }, (_, i) => pipe(`p${i}`, names(i + 1), { blocks: 1000 * k, bytes: 2_000_000 * k, dropped: i, queued: 32 }));
  const rows = rowsOf({ t: 1000, jobs: jobs(1), pipes: pipes(1) }, { t: 2000, jobs: jobs(2), pipes: pipes(2) });
  return { elapsedMs: 2000, running: true, setup: [], ...rows };
}

describe('view - the terminal status table', () => {
  it('rates come from the differences of two snapshots over their time', () => {
    const a: Snapshot = { t: 1000, jobs: [job('src', { rounds: 100, cpuMs: 200 })], pipes: [pipe('a', 'sink', { blocks: 100, bytes: 1000 })] };
    const b: Snapshot = { t: 3000, jobs: [job('src', { rounds: 700, cpuMs: 1200 })], pipes: [pipe('a', 'sink', { blocks: 500, bytes: 9000, queued: 16 })] };
    const r = rowsOf(a, b);
    expect(r.jobs[0]).toMatchObject({ roundsPerS: 300, cpuPct: 50 });
    expect(r.pipes[0]).toMatchObject({ blocksPerS: 200, bytesPerS: 4000, queueFill: 0.25 });
    // no earlier snapshot: no rate
    expect(rowsOf(undefined, b).pipes[0]!.blocksPerS).toBeUndefined();
    // a window: against the newest snapshot at least a second old
    const w = new RateWindow(1000);
    w.push({ ...a, t: 0 });
    w.push({ ...a, t: 500 });
    w.push({ ...a, t: 1000 });
    const later = w.push({ t: 1500, jobs: [job('src', { rounds: 200 })], pipes: [pipe('a', 'sink', { blocks: 150 })] });
    expect(later.jobs[0]!.roundsPerS).toBe(100); // (200 - 100) over 1 s, from t 500
    expect(later.pipes[0]!.blocksPerS).toBe(50);
  });

  it('fits 80 columns: every job and pipe with its figures', () => {
    const lines = renderStatus(chainView(4), { columns: 80, rows: 40 });
    for (const l of lines) expect(l.length).toBeLessThan(80);
    const text = lines.join('\n');
    for (const name of ['job0', 'job1', 'job2', 'job3', 'p0', 'p1', 'p2']) expect(text).toMatch(new RegExp(`^  ${name} `, 'm'));
    expect(text).toMatch(/^  job\s+node\s+state\s+rounds\/s\s+cpu%\s+rss\s+in-q$/m);
    expect(text).toMatch(/^  pipe\s+blocks\/s\s+MB\/s\s+blocks\s+drops\s+dummies\s+queue$/m);
    // 1000 rounds and 400 ms of CPU a second; 2 MB/s; half of a queue of 64
    expect(text).toMatch(/^  job1\s+node-1\s+running\s+1000\s+40\s+50M\s+50%$/m);
    expect(text).toMatch(/^  p2\s+1000\s+1\.91\s+2000\s+2\s+0\s+50%$/m);
    expect(lines[0]).toBe('marvelo 2.0s  4 running');
  });

  it('a wide network folds: long names are cut, rows beyond the terminal become a line of the rest', () => {
    const lines = renderStatus(chainView(60, (i) => `a-job-with-a-long-name-number-${i}`), { columns: 80, rows: 23 });
    expect(lines.length).toBeLessThanOrEqual(23);
    for (const l of lines) expect(l.length).toBeLessThan(80);
    const text = lines.join('\n');
    // cut in the middle: the rows stay apart
    expect(text).toMatch(/^  a-job-with-a…me-number-0 /m);
    expect(text).toMatch(/^  a-job-with-a…me-number-1 /m);
    expect(text).toMatch(/… \d+ more jobs: \d+ running/);
    expect(text).toMatch(/… \d+ more pipes, \d+ drops/);
    // a narrow terminal drops columns rather than wrap
    const narrow = renderStatus(chainView(3), { columns: 50, rows: 40 });
    for (const l of narrow) expect(l.length).toBeLessThan(50);
    expect(narrow.join('\n')).not.toContain('node-1');
  });

  it('colour only when asked (NO_COLOR: none): the same text either way', () => {
    const view = chainView(3);
    view.jobs[1]!.state = 'failed';
    const plain = renderStatus(view, { columns: 80, color: false });
    expect(plain.join('\n')).not.toContain(ESC);
    const coloured = renderStatus(view, { columns: 80, color: true });
    expect(coloured.join('\n')).toContain(`${ESC}[31mfailed`);
    // eslint-disable-next-line no-control-regex
    expect(coloured.map((l) => l.replace(/\x1b\[[0-9;]*m/g, ''))).toEqual(plain);
  });

  it('before the workers run: the set-up steps; off a terminal: one summary line', () => {
    const setup: StatusView = { elapsedMs: 1500, running: false, setup: ['network loaded', 'node a: uploaded 3 files (1.2 MB), 2 cached', 'node b: uploading'], jobs: [], pipes: [] };
    expect(renderStatus(setup)).toEqual(['marvelo 1.5s  setting up', '  network loaded', '  node a: uploaded 3 files (1.2 MB), 2 cached', '  node b: uploading']);
    expect(renderProgressLine(chainView(3))).toBe('[marvelo] 2.0s 3 running; p0 2000 (1000/s), p1 2000 (1000/s, -1)');
    expect(renderProgressLine(setup)).toBe('[marvelo] 1.5s node b: uploading');
  });
});
