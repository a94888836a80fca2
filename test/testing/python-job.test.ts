import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { block, testJob } from 'marvelo/testing';

const python = spawnSync('python3', ['--version']).status === 0;
if (!python) console.log('skipped: the python job test needs python3 on PATH');

describe.skipIf(!python)('testJob with a python: job', () => {
  it('runs an original PythonJob on the given blocks, its heads passed on', async () => {
    const r = await testJob('python:test/testing/jobs/double.py#Double', { inputs: [[1, block(2, { head: 0x10 }), 3]] });
    expect(r.error).toBeUndefined();
    expect(r.values[0]).toEqual([2, 4, 6]);
    expect(r.outputs[0]!.map((b) => [b.head, b.sqn])).toEqual([
      [0x40, 1],
      [0x10, 2],
      [0, 3],
    ]);
  });
});
