import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { processesTagged, ROOT, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp-dir.js';
import { EXPECTED_DEMO_CSV } from '../helpers/demo-sums.js';

const DEMO = join(ROOT, 'networks', 'demo.yaml');

const EXPECTED_CSV = EXPECTED_DEMO_CSV;

// Each run works in a fresh folder: the csv-sink writes sums.csv where `marvelo run` was started.
describe('run - the demo network', () => {
  it('saves the ten sums of the demo, in order, to sums.csv and exits 0 with no process left', async () => {
    const dir = tempDir();
    const r = await runCli(['run', DEMO], { cwd: dir });
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'sums.csv'), 'utf8')).toBe(EXPECTED_CSV);
    expect(r.stderr).toMatch(/^ {2}jobs: 6, peak worker RSS \d+ MB, worker CPU \d+\.\d\d s$/m);
    expect(processesTagged(r.tag)).toEqual([]);
  });

  it('gives the same sums over TCP data connections', async () => {
    const dir = tempDir();
    const r = await runCli(['run', DEMO, '--transport', 'tcp', '--verbose'], { cwd: dir });
    expect(r.code).toBe(0);
    // producers listen, their consumers dial them: the sink listens nowhere
    expect(r.stdout).toMatch(/^\[marvelo\] count1 on local pid \d+ listening tcp 127\.0\.0\.1:\d+$/m);
    expect(r.stdout).toMatch(/^\[marvelo\] save on local pid \d+ listening -$/m);
    expect(readFileSync(join(dir, 'sums.csv'), 'utf8')).toBe(EXPECTED_CSV);
  });

  it('--json prints a summary with every pipe counted', async () => {
    const dir = tempDir();
    const r = await runCli(['run', DEMO, '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.status).toBe('finished');
    const byPipe = Object.fromEntries(summary.pipes.map((p: { pipe: string }) => [p.pipe, p]));
    expect(byPipe.p101.blocks).toBe(50);
    expect(byPipe.p105.blocks).toBe(50);
    expect(byPipe.p106).toMatchObject({ producer: 'reduce', consumer: 'save', sent: 10, blocks: 10, partial: false });
    for (const p of summary.pipes) expect(p.dropped + p.dummies + p.discarded).toBe(0);
    expect(readFileSync(join(dir, 'sums.csv'), 'utf8')).toBe(EXPECTED_CSV);
  });
});
