import { describe, expect, it } from 'vitest';
import { jobLines, runCli } from '../helpers/cli.js';
import { execFixture, expectNoProcessLeft } from './helpers.js';

/** Heads printed by ShowHeads: C R F, user bits 3 and 4. The marked sources set 3 on odd blocks,
 * corrupted on block 2 and finished on the last; marvelo sets reset on the first. */
const MARKED = ['-R-3-', 'C----', '---3-', '--F--'];
const SMOOTHED = ['[1,1.5,2.5,3.5]', '[4.5,5.5,6.5,7.5]', '[8.5,9.5,10.5,11.5]', '[12.5,13.5,14.5,15.5]'];
const INVERTED = ['fefefe', 'fdfdfd', 'fcfcfc', 'fbfbfb'];
const withHeads = (values: string[], heads: string[]) => values.map((v, i) => `${v} ${heads[i]}`);

describe('executable jobs - runs', () => {
  it('runs the example network: ScriptJob -> C (float32) -> ScriptJob -> Python (json) -> sink', async () => {
    const r = await runCli(['run', 'networks/executables.yaml']);
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    expect(jobLines(r.stdout, 'show')).toEqual([
      '{"frame":1,"min":1,"max":3.5,"mean":2125,"unit":"mV"}',
      '{"frame":2,"min":4.5,"max":7.5,"mean":6000,"unit":"mV"}',
      '{"frame":3,"min":8.5,"max":11.5,"mean":10000,"unit":"mV"}',
      '{"frame":4,"min":12.5,"max":15.5,"mean":14000,"unit":"mV"}',
      '{"frame":5,"min":16.5,"max":19.5,"mean":18000,"unit":"mV"}',
    ]);
    // The programs' stderr lines are the jobs' log lines.
    expect(jobLines(r.stdout, 'smooth')).toEqual(['movavg: 20 samples']);
    expect(jobLines(r.stdout, 'label')).toEqual(['jsonmap: 5 documents']);
    expectNoProcessLeft(r.tag);
  });

  it('runs C programs on float32 and bytes pipes, paths and descriptors, with and without heads, YAML and class form', async () => {
    const r = await runCli(['run', execFixture('c-modes.yaml')]);
    expect(r.code).toBe(0);
    expect(jobLines(r.stdout, 'f-show')).toEqual(withHeads(SMOOTHED, MARKED)); // path, no head
    expect(jobLines(r.stdout, 'g-show')).toEqual(withHeads(SMOOTHED, MARKED)); // fd, head copied
    expect(jobLines(r.stdout, 'h-show')).toEqual(withHeads(SMOOTHED, MARKED)); // class ExecutableJob
    expect(jobLines(r.stdout, 'b-show')).toEqual(withHeads(INVERTED, MARKED)); // bytes, path, head
    expect(jobLines(r.stdout, 'c-show')).toEqual(withHeads(INVERTED, MARKED)); // class MARVELOJob, fd, head
    expectNoProcessLeft(r.tag);
  });

  it('runs Python programs on json pipes in both modes, keeps marvelo head bits, and runs programs as sources', async () => {
    const r = await runCli(['run', execFixture('py-modes.yaml')]);
    expect(r.code).toBe(0);
    const objects = (f: (n: number) => string) => [1, 2, 3, 4].map(f);
    expect(jobLines(r.stdout, 'j-show')).toEqual(withHeads(objects((n) => `{"n":${n},"via":"path"}`), MARKED));
    expect(jobLines(r.stdout, 'k-show')).toEqual(withHeads(objects((n) => `{"n":${n * 10}}`), MARKED));
    // The program clears its heads and sets user bit 4: corrupted, reset and finished stay marvelo's.
    expect(jobLines(r.stdout, 'l-show')).toEqual(withHeads(objects((n) => `{"n":${n}}`), ['-R--4', 'C---4', '----4', '--F-4']));
    // A source program's head: its user bits and finished pass, reset is on its first block.
    expect(jobLines(r.stdout, 'e-show')).toEqual(['{"i":1} -R-3-', '{"i":2} -----', '{"i":3} --F3-']);
    expect(jobLines(r.stdout, 'n-show')).toEqual(['{"i":1} -R---', '{"i":2} -----', '{"i":3} -----']);
    expectNoProcessLeft(r.tag);
  });

  it('carries 320 MB of frames through a program into a slow sink: none lost, memory bounded', async () => {
    const r = await runCli(['run', execFixture('backpressure.yaml'), '--json']);
    expect(r.code).toBe(0);
    expect(jobLines(r.stderr, 'sink')).toEqual(['frames 20000 wrong 0']);
    const summary = JSON.parse(r.stdout);
    expect(summary.pipes.map((p: { blocks: number }) => p.blocks)).toEqual([20000, 20000]);
    // Without backpressure through the program's pipes, much of the 320 MB would queue in a worker.
    for (const j of summary.jobs) expect(j.maxRss).toBeLessThan(150 * 1024 * 1024);
    expectNoProcessLeft(r.tag);
  });

  it('runs the program in its own job folder with its dependencies copied in', async () => {
    const r = await runCli(['run', execFixture('folder.yaml')]);
    expect(r.code).toBe(0);
    expect(jobLines(r.stdout, 'where')).toEqual(['folder: jobs/where', 'files: data, taps.txt', 'taps: 3 taps / 3 taps']);
    expect(jobLines(r.stdout, 'sink')).toEqual(['1', '2']);
    expectNoProcessLeft(r.tag);
  });
});
