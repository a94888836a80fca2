import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { block, testJob } from 'marvelo/testing';
import { ownWorkers, processesOfUserWith } from '../helpers/process-table.js';

/** The run's processes still alive: none once testJob returned. */
const leftOf = (runId: string) => processesOfUserWith(process.getuid!(), runId);

const jobs = new URL('./jobs/', import.meta.url).pathname;
const job = (ref: string) => `${jobs}${ref}`;
const RESET = 0x40;
const FINISHED = 0x20;
const CORRUPTED = 0x80;

describe('testJob', () => {
  it('runs a script job on the given values and collects its outputs with heads and SQNs', async () => {
    const r = await testJob(job('scale.ts'), { params: { factor: 2 }, inputs: [[1, 2, block(3, { head: 0x10 })]] });
    expect(r.error).toBeUndefined();
    expect(r.values[0]).toEqual([2, 4, 6]);
    expect(r.outputs[0]).toEqual([
      { value: 2, head: RESET, sqn: 1 },
      { value: 4, head: 0, sqn: 2 },
      { value: 6, head: 0x10, sqn: 3 },
    ]);
    expect(r.lines).toEqual(['scaling 1', 'scaling 2', 'scaling 3']);
    expect(r.rounds).toBe(3);
    expect(leftOf(r.runId)).toEqual([]);
  });

  it('shows the job the heads and SQNs it was given, and collects the heads it set', async () => {
    const r = await testJob(job('harness-jobs.ts#Inspect'), { inputs: [[2, block(3, { head: CORRUPTED }), block(4, { head: 0x01 })]] });
    expect(r.values[0]).toEqual([
      { x: 2, head: RESET, sqn: 1 },
      { x: 3, head: CORRUPTED, sqn: 2 },
      { x: 4, head: 0x01, sqn: 3 },
    ]);
    // user bit 3 (0x10) is the job's own; the corrupted bit it cannot clear
    expect(r.outputs[0]!.map((b) => b.head)).toEqual([RESET, CORRUPTED | 0x10, 0x01]);
  });

  it('takes several inputs by position and sends to several outputs', async () => {
    const r = await testJob(job('harness-jobs.ts#SumDiff'), { inputs: [[5, 7], [1, 2]], outputs: 2 });
    expect(r.values).toEqual([
      [6, 9],
      [4, 5],
    ]);
    expect(r.lines).toEqual(['in1+in2 round 1: 5 1', 'in1+in2 round 2: 7 2']);
  });

  it('names the pipes of inputs and outputs, in the order given', async () => {
    const r = await testJob(job('harness-jobs.ts#SumDiff'), { inputs: { left: [10], right: [3] }, outputs: ['sum', 'diff'] });
    expect(r.byPipe.sum!.map((b) => b.value)).toEqual([13]);
    expect(r.byPipe.diff!.map((b) => b.value)).toEqual([7]);
    expect(r.lines).toEqual(['left+right round 1: 10 3']);
  });

  it('groups blocks into rounds of block_count, each with its heads', async () => {
    const r = await testJob(job('harness-jobs.ts#Window'), { blockCount: 2, inputs: [[1, 2, block(3, { head: 0x10 }), 4, 5]] });
    // the fifth block makes no complete round
    expect(r.outputs[0]).toEqual([
      { value: { values: [1, 2], heads: [RESET, 0] }, head: RESET, sqn: 1 },
      { value: { values: [3, 4], heads: [0x10, 0] }, head: 0x10, sqn: 2 },
    ]);
    expect(r.rounds).toBe(2);
  });

  it('gives an optional input left unfed its default in every round', async () => {
    const r = await testJob(job('harness-jobs.ts#Above'), { inputs: [[1, 5, 9], []], optional: { in2: { default: 4 } } });
    expect(r.error).toBeUndefined();
    expect(r.values[0]).toEqual([false, true, true]);
  });

  it('runs a job once per value of its only, optional, input', async () => {
    const r = await testJob(job('harness-jobs.ts#Doubler'), { inputs: [[1, 2, 3]], optional: { in1: { buffer: 16 } } });
    expect(r.values[0]).toEqual([2, 4, 6]);
  });

  it('refuses to feed an optional input beside another fed input, whose rounds would depend on timing', async () => {
    await expect(testJob(job('harness-jobs.ts#Above'), { inputs: [[1], [0]], optional: { in2: {} } })).rejects.toMatchObject({
      code: 'MRV_TEST_HARNESS',
      message: expect.stringContaining("optional input 'in2' is fed beside input 'in1'"),
    });
  });

  it("returns a job's exception with its name, code, message and its own stack, and what came before it", async () => {
    const r = await testJob(job('harness-jobs.ts#Positive'), { inputs: [[1, 2, -3, 4]] });
    expect(r.error).toMatchObject({ job: 'Positive', name: 'BadValue', code: 'E_BAD_VALUE', message: 'negative value -3', phase: 'run' });
    expect(r.error!.stack).toMatch(/^BadValue: negative value -3\n\s+at Positive\.run /);
    expect(r.error!.stack).toMatch(/harness-jobs\.ts:\d+:\d+/); // source-mapped to the job's module
    expect(r.lines).toEqual(['ok 1', 'ok 2']);
    expect(r.summary.status).toBe('failed');
    expect(leftOf(r.runId)).toEqual([]);
  });

  it('stops a job that never ends at the timeout, and leaves none of its processes', async () => {
    const started = testJob(job('harness-jobs.ts#Stuck'), { inputs: [[1]], timeoutMs: 1000 });
    await expect(started).rejects.toMatchObject({ code: 'MRV_RUN_TIMEOUT', message: 'the tested job did not finish within 1000 ms' });
    expect(ownWorkers()).toEqual([]);
  });

  it('tests a source: no inputs, its blocks numbered from 1, the last one finished', async () => {
    const r = await testJob(job('harness-jobs.ts#Count'), { params: { limit: 3 } });
    expect(r.values[0]).toEqual([1, 2, 3]);
    expect(r.outputs[0]!.map((b) => b.sqn)).toEqual([1, 2, 3]);
    expect(r.outputs[0]![0]!.head & RESET).toBe(RESET);
    expect(r.lines).toEqual(['tick 1', 'tick 2', 'tick 3']);
  });

  it('tests a sink: no outputs, its printed lines on stdout and stderr', async () => {
    const r = await testJob(job('harness-jobs.ts#Log'), { inputs: [[{ a: 1 }, 'b']], outputs: 0 });
    expect(r.outputs).toEqual([]);
    expect(r.lines).toEqual(['{"a":1}', '"b"']);
    expect(r.stderr).toEqual(['round 1', 'round 2']);
  });

  it('carries typed values through a typed pipe, with a head of 2 bytes', async () => {
    const r = await testJob(job('harness-jobs.ts#Roots'), {
      inputs: [[new Float32Array([4, 9]), block(new Float32Array([16, 1]), { head: 0x0100 })]],
      pipes: { in1: { codec: 'float32', length: 2 }, out1: { codec: 'float32', length: 2 } },
      headSize: 2,
    });
    expect(r.values[0]).toEqual([new Float32Array([2, 3]), new Float32Array([4, 1])]);
    expect(r.outputs[0]!.map((b) => b.head)).toEqual([RESET << 8, 0x0100]);
  });

  it('tests a builtin job', async () => {
    const r = await testJob('builtin:forward', { inputs: [['a', 'b'], [1, 2]], outputs: 2 });
    expect(r.values).toEqual([
      ['a', 'b'],
      [1, 2],
    ]);
  });

  it('takes a module path relative to the current directory and a file URL', async () => {
    const rel = await testJob('test/testing/jobs/scale.ts', { params: { factor: 3 }, inputs: [[1]] });
    expect(rel.values[0]).toEqual([3]);
    const url = await testJob(new URL('./jobs/scale.ts', import.meta.url).href, { params: { factor: 4 }, inputs: [[1]] });
    expect(url.values[0]).toEqual([4]);
  });

  it('says which module it cannot find, and which pipe an option names wrongly', async () => {
    await expect(testJob('no/such/job.ts')).rejects.toMatchObject({ code: 'MRV_TEST_HARNESS', message: expect.stringContaining('no/such/job.ts does not exist') });
    await expect(testJob(job('scale.ts'), { inputs: [[1]], pipes: { in9: { block_count: 2 } } })).rejects.toMatchObject({
      code: 'MRV_TEST_HARNESS',
      hint: expect.stringContaining('in1, out1'),
    });
  });

  it("reports a job that cannot take the inputs it was given with the network file's error, without a place in a file that is gone", async () => {
    const failing = testJob(job('harness-jobs.ts#SumDiff'), { inputs: [[1]] });
    await expect(failing).rejects.toMatchObject({
      code: 'MRV_CONFIG_PORTS',
      message: 'class SumDiff: run() needs 2 arguments, but the job has 1 input (in1)',
      where: undefined,
      hint: expect.stringContaining('testJob: the inputs option gives one array of blocks per input pipe'),
    });
  });

  it('reports a value the fed pipe cannot carry as an error of the test, not of the job', async () => {
    await expect(testJob(job('scale.ts'), { inputs: [['not bytes']], pipes: { in1: { codec: 'bytes', block_size: 4 } } })).rejects.toMatchObject({
      code: 'MRV_TEST_HARNESS',
      message: expect.stringContaining("feeding pipe 'in1' failed"),
    });
  });
});

const python = spawnSync('python3', ['--version']).status === 0;
if (!python) console.log('skipped: the executable job test needs python3 on PATH');

describe.skipIf(!python)('testJob with an executable job class', () => {
  it('runs the program in the job\'s worker, with args and heads as in a network', async () => {
    const r = await testJob('jobs/exec/jsonmap.ts', {
      job: { args: ['--scale', 'x=10', '--set', 'unit="V"', '--head', '--set-bit', '4'], head: true },
      inputs: [[{ x: 1 }, block({ x: 2 }, { head: 0x10 })]],
      pipes: { in1: { codec: 'json' }, out1: { codec: 'json' } },
    });
    expect(r.error).toBeUndefined();
    expect(r.values[0]).toEqual([
      { x: 10, unit: 'V' },
      { x: 20, unit: 'V' },
    ]);
    expect(r.outputs[0]!.map((b) => b.head)).toEqual([RESET | 0x08, 0x10 | 0x08]);
  });
});
