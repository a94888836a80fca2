import { describe, expect, it } from 'vitest';
import { errorsOf, expectError, tempBundleDir } from './helpers.js';

const bundleDir = tempBundleDir();
const errors = (name: string) => errorsOf(name, bundleDir);

describe('config - graph errors', () => {
  it('names both producers of a pipe and both lines', async () => {
    const e = expectError(await errors('pipe-ends.yaml'), {
      code: 'MRV_CONFIG_GRAPH',
      message: "pipe 'shared' has two producers: job 'one' (line 2) and job 'two' (line 3) list it under outputs",
      line: 3,
      col: 55,
      pipe: 'shared',
      hint: 'exactly one producer',
    });
    expect(e.job).toBe('two');
  });

  it('names both consumers of a pipe and both lines', async () => {
    expectError(await errors('pipe-ends.yaml'), {
      code: 'MRV_CONFIG_GRAPH',
      message: "pipe 'fanout' has two consumers: job 'left' (line 4) and job 'right' (line 5) list it under inputs",
      line: 5,
      col: 55,
      pipe: 'fanout',
    });
  });

  it('reports a pipe without producer at its reader', async () => {
    const all = await errors('pipe-ends.yaml');
    expectError(all, {
      code: 'MRV_CONFIG_GRAPH',
      message: "pipe 'nowhere' has no producer: job 'orphan' reads it, but no job lists it under outputs",
      line: 7,
      col: 56,
      hint: "add 'nowhere' to the outputs",
    });
    expectError(all, { code: 'MRV_CONFIG_GRAPH', message: "pipe 'fanout' has no producer", line: 4, col: 54 });
  });

  it('reports a pipe without consumer at its writer', async () => {
    expectError(await errors('pipe-ends.yaml'), {
      code: 'MRV_CONFIG_GRAPH',
      message: "pipe 'dangling' has no consumer: job 'two' writes it, but no job lists it under inputs",
      line: 3,
      col: 63,
      hint: "remove it from the outputs of 'two'",
    });
  });

  it('collects every graph error in one pass, in line order', async () => {
    const all = await errors('pipe-ends.yaml');
    expect(all).toHaveLength(5);
    const lines = all.map((e) => e.where!.line);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
  });

  it('rejects a job connected to itself', async () => {
    expectError(await errors('self-loop.yaml'), {
      code: 'MRV_CONFIG_GRAPH',
      message: "job 'echo' is connected to itself: pipe 'loop' is in its inputs (line 5) and its outputs",
      line: 6,
      col: 15,
      job: 'echo',
      hint: 'cannot loop back',
    });
  });

  it('rejects a pipe declared under pipes: that no job uses', async () => {
    expectError(await errors('unused-pipe.yaml'), {
      code: 'MRV_CONFIG_GRAPH',
      message: "pipe 'p2' is declared under pipes: but no job reads or writes it",
      line: 6,
      col: 3,
      pipe: 'p2',
    });
  });

  it('rejects duplicate job names, naming the first line', async () => {
    expectError(await errors('duplicate-jobs.yaml'), {
      code: 'MRV_CONFIG_GRAPH',
      message: "duplicate job name 'sink': line 3 already uses it",
      line: 4,
      col: 11,
      hint: 'unique',
    });
  });

  it('suggests the pipe a typo probably meant, on both ends', async () => {
    const all = await errors('typo-pipe.yaml');
    expectError(all, { code: 'MRV_CONFIG_GRAPH', message: "pipe 'sampels' has no producer", line: 3, hint: "did you mean 'samples'?" });
    expectError(all, { code: 'MRV_CONFIG_GRAPH', message: "pipe 'samples' has no consumer", line: 2, hint: "did you mean 'sampels'?" });
  });

  it('collects graph and module errors together', async () => {
    const all = await errors('graph-and-modules.yaml');
    expect(all.map((e) => [e.code, e.where!.line])).toEqual([
      ['MRV_CONFIG_GRAPH', 2],
      ['MRV_CONFIG_MODULE', 4],
      ['MRV_CONFIG_GRAPH', 4],
    ]);
  });
});
