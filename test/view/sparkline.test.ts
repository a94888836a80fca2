import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SeriesSample } from '../../src/api/records/series.js';
import { formatSparklines, seriesRates, sparkline } from '../../src/view/terminal/sparkline.js';
import { FIXTURES, startCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp-dir.js';

const PTY = ['bash', '-c', 'exec script -qfec "$(printf "%q " "$@")" /dev/null', 'pty'];

function sample(t: number, blocks: number, cpuMs: number): SeriesSample {
  return { t, jobs: { src: { rounds: blocks, cpuMs, rss: 1, state: 'running' } }, pipes: { a: { blocks, bytes: blocks * 8, dropped: 0, dummies: 0, queued: 0 } } };
}

describe('view - sparklines of a recorded run', () => {
  it('block characters scaled to the largest value, neighbours averaged to fit the width', () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7], 8)).toBe('▁▂▃▄▅▆▇█');
    expect(sparkline([0, 0, 7, 7], 2)).toBe('▁█');
    expect(sparkline([0, 0, 0], 10)).toBe('▁▁▁');
    expect(sparkline([], 10)).toBe('');
  });

  it('rates are differences of the cumulative counters; a final sample close to the last one replaces it', () => {
    const r = seriesRates([sample(0, 0, 0), sample(1000, 100, 500), sample(2000, 300, 700), sample(2050, 310, 720)]);
    expect(r.pipes).toEqual([{ name: 'a', values: [100, 210 / 1.05], peak: 200 }]);
    expect(r.jobs[0]!.values[0]).toBe(50);
    const lines = formatSparklines([sample(0, 0, 0), sample(1000, 100, 500), sample(2000, 300, 700)]);
    expect(lines).toEqual(['over time (2.0 s, 3 samples):', '  pipes, blocks/s:', '  a   ▅█  peak 200 blocks/s', '  jobs, CPU % of one core:', '  src █▄  peak 50%']);
  });

  it('`marvelo runs show` prints them on a terminal, not into a pipe', async () => {
    const runs = tempDir();
    const env = { MARVELO_RUNS_DIR: runs };
    expect((await startCli(['run', join(FIXTURES, 'paced.yaml'), '-q'], { env }).done).code).toBe(0);
    const tty = await startCli(['runs', 'show', 'last'], { env, wrapper: PTY }).done;
    expect(tty.code).toBe(0);
    expect(tty.stdout).toMatch(/^over time \(\d+\.\d s, \d+ samples\):\r?$/m);
    for (const p of ['a', 'b']) expect(tty.stdout).toMatch(new RegExp(`^  ${p}\\s+[▁▂▃▄▅▆▇█]+  peak \\d+ blocks/s\\r?$`, 'm'));
    for (const j of ['src', 'fwd', 'sink']) expect(tty.stdout).toMatch(new RegExp(`^  ${j}\\s+[▁▂▃▄▅▆▇█]+  peak \\d+%\\r?$`, 'm'));
    const piped = await startCli(['runs', 'show', 'last'], { env }).done;
    expect(piped.code).toBe(0);
    expect(piped.stdout).toContain('pipes:');
    expect(piped.stdout).not.toContain('over time');
  });
});
