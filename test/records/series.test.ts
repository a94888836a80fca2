import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, startRun } from '../../src/api/run.js';
import { boundSeries, MAX_SERIES_LINES, readSeries, SERIES_FILE, SeriesWriter } from '../../src/api/records/series.js';
import { LiveState } from '../../src/api/live-state.js';
import { testJobSpec } from '../helpers/specs.js';
import type { RunRecord } from '../../src/api/records/types.js';
import { tempDir } from '../helpers/temp-dir.js';
import { networkCopy } from './network-copy.js';

describe('run records - the time series', () => {
  it('a finished run: a sample at the start, then the final counters, which are the summary\'s', async () => {
    const net = networkCopy('chain3.yaml');
    const dir = join(tempDir(), 'runs');
    expect((await run(net.file, { cwd: net.dir, record: { dir } })).ok).toBe(true);
    const [id] = readdirSync(dir);
    const recordDir = join(dir, id!);
    const record = JSON.parse(readFileSync(join(recordDir, 'run.json'), 'utf8')) as RunRecord;
    const series = readSeries(recordDir);
    expect(series.length).toBeGreaterThanOrEqual(2);
    // the first when the workers started: nothing counted yet
    expect(series[0]!.t).toBeLessThan(1000);
    expect(Object.values(series[0]!.pipes).map((p) => p.blocks)).toEqual([0, 0, 0, 0]);
    for (let i = 1; i < series.length; i++) expect(series[i]!.t).toBeGreaterThanOrEqual(series[i - 1]!.t);
    const last = series.at(-1)!;
    expect(Object.keys(last.jobs)).toEqual(['src', 'f1', 'f2', 'f3', 'sink']);
    expect(Object.keys(last.pipes)).toEqual(['a', 'b', 'c', 'd']);
    for (const p of record.summary!.pipes) {
      expect(last.pipes[p.pipe]).toMatchObject({ blocks: p.blocks, dropped: p.dropped, dummies: p.dummies, bytes: p.bytes, queued: 0 });
    }
    for (const j of record.summary!.jobs) expect(last.jobs[j.job]).toMatchObject({ rounds: j.rounds, state: 'finished' });
  });

  it('a longer run: one sample in each second at most, counters that only grow, whole lines after an interrupt', async () => {
    const net = networkCopy('endless.yaml');
    const dir = join(tempDir(), 'runs');
    let recordDir: string | undefined;
    const handle = startRun(net.file, {
      cwd: net.dir,
      record: { dir },
      onEvent: (e) => {
        // stop once the series holds four samples
        if (e.type === 'metrics' && recordDir !== undefined && readSeries(recordDir).length >= 4) handle.interrupt();
      },
    });
    recordDir = join(dir, handle.runId);
    await handle.done;
    const series = readSeries(recordDir);
    expect(series.length).toBeGreaterThanOrEqual(4);
    // one sample in each second of the run at most
    for (let i = 1; i < series.length - 1; i++) expect(Math.floor(series[i]!.t / 1000)).toBeGreaterThan(Math.floor(series[i - 1]!.t / 1000));
    for (let i = 1; i < series.length; i++) {
      expect(series[i]!.pipes['a']!.blocks).toBeGreaterThanOrEqual(series[i - 1]!.pipes['a']!.blocks);
      expect(series[i]!.jobs['src']!.cpuMs).toBeGreaterThanOrEqual(series[i - 1]!.jobs['src']!.cpuMs);
    }
    expect(series.at(-2)!.jobs['fwd']!.state).toBe('running');
    expect(series.at(-2)!.pipes['a']!.blocks).toBeGreaterThan(0);
    expect(readFileSync(join(recordDir, SERIES_FILE), 'utf8').endsWith('\n')).toBe(true);
  });

  it('bounded: at the limit every other line goes (the first stays) and the interval doubles', () => {
    const lines = Array.from({ length: MAX_SERIES_LINES }, (_, i) => i);
    const halved = boundSeries(lines, 1000);
    expect(halved.halved).toBe(true);
    expect(halved.intervalMs).toBe(2000);
    expect(halved.lines).toHaveLength(MAX_SERIES_LINES / 2);
    expect(halved.lines.slice(0, 3)).toEqual([0, 2, 4]);
    expect(boundSeries(lines.slice(1), 1000)).toEqual({ lines: lines.slice(1), intervalMs: 1000, halved: false });
    // a run of many hours stays within the bound: line counts over time never pass it
    let kept: number[] = [];
    let interval = 1000;
    for (let t = 0; t < 10 * 3600 * 1000; t += interval) {
      const b = boundSeries(kept, interval);
      kept = [...b.lines, t];
      interval = b.intervalMs;
      expect(kept.length).toBeLessThanOrEqual(MAX_SERIES_LINES);
    }
    expect(interval).toBe(16000);
  });

  it('the writer keeps the file within its bound: halved in place, then samples twice as far apart', () => {
    const d = tempDir();
    let now = 0;
    const live = new LiveState(() => now);
    live.apply({ type: 'loaded', network: { name: 'n', file: '/n.yaml', dir: '/', jobs: [testJobSpec({ name: 'j' })], pipes: {}, nodes: [], maxRetries: 0, retryBackoffMs: 0 } });
    const w = new SeriesWriter(d, 4);
    w.offer(live); // not started: nothing
    live.apply({ type: 'started', workers: [{ job: 'j', node: 'local', pid: 1, listen: [] }] });
    for (now = 0; now <= 10_000; now += 500) w.offer(live);
    const ts = readSeries(d).map((s) => s.t);
    expect(ts.length).toBeLessThanOrEqual(4);
    // 0..3 s a second apart, halved to 0, 2 s; then every 2 s: 4 s; halved again at the bound: 0, 4 s; then every 4 s
    expect(ts).toEqual([0, 4000, 8000]);
    w.offer(live, true); // the end (now 10.5 s, the loop ran past 10 s): always written
    expect(readSeries(d).map((s) => s.t)).toEqual([0, 4000, 8000, 10_500]);
  });

  it('a line cut by a crash is left out', () => {
    const d = tempDir();
    const s = { t: 0, jobs: {}, pipes: {} };
    writeFileSync(join(d, SERIES_FILE), JSON.stringify(s) + '\n' + '{"t":10');
    expect(readSeries(d)).toEqual([s]);
    expect(readSeries(join(d, 'none'))).toEqual([]);
  });
});
