import { describe, expect, it } from 'vitest';
import { jobLines, processesTagged, runCli } from '../helpers/cli.js';

// The demo's sums, computed independently: sum over each group of 5 of i*(2i-1)*(3i-2), i = 1..50.
function expectedDemoSums(limit: number): number[] {
  const sums: number[] = [];
  for (let g = 0; g < limit / 5; g++) {
    let s = 0;
    for (let k = g * 5; k < g * 5 + 5; k++) s += (1 + k) * (1 + 2 * k) * (1 + 3 * k);
    sums.push(s);
  }
  return sums;
}

describe('run - the demo network', () => {
  it('prints the ten sums of the demo, in order, and exits 0 with no process left', async () => {
    const r = await runCli(['run', 'networks/demo.yaml']);
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    expect(jobLines(r.stdout, 'show')).toEqual(expectedDemoSums(50).map((s) => `sum ${s}`));
    expect(processesTagged(r.tag)).toEqual([]);
  });

  it('gives the same output over TCP data connections', async () => {
    const r = await runCli(['run', 'networks/demo.yaml', '--transport', 'tcp', '--verbose']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/listening tcp 127\.0\.0\.1:\d+/);
    expect(jobLines(r.stdout, 'show')).toEqual(expectedDemoSums(50).map((s) => `sum ${s}`));
  });

  it('--json prints a summary with every pipe counted', async () => {
    const r = await runCli(['run', 'networks/demo.yaml', '--json']);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.status).toBe('finished');
    const byPipe = Object.fromEntries(summary.pipes.map((p: { pipe: string }) => [p.pipe, p]));
    expect(byPipe.p101.received).toBe(50);
    expect(byPipe.p105.received).toBe(50);
    expect(byPipe.p106.received).toBe(10);
    for (const p of summary.pipes) expect(p.dropped + p.dummies + p.stale + p.incomplete).toBe(0);
  });
});
