import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testJob } from 'marvelo/testing';
import { processesTagged, runCli } from '../helpers/cli.js';
import { ownWorkers } from '../helpers/process-table.js';
import { builtinFixture, tempDir } from './helpers.js';

describe('builtin - csv-sink', () => {
  it('writes a header of pipe names and one row per round: numbers plain, strings quoted as CSV needs, objects and block_count groups as JSON', async () => {
    const dir = tempDir();
    const r = await testJob('builtin:csv-sink', {
      params: { path: 'out/values.csv' },
      inputs: { value: [42, -1.5, 'a,b "q"', { a: 1, b: [2, 3] }, true, null], n: Array.from({ length: 12 }, (_, i) => i + 1) },
      pipes: { n: { block_count: 2 } },
      outputs: 0,
      cwd: dir,
    });
    expect(r.error).toBeUndefined();
    expect(r.stderr).toEqual([]);
    expect(r.rounds).toBe(6);
    // The path is relative to the run's working directory; missing folders are made.
    expect(readFileSync(join(dir, 'out', 'values.csv'), 'utf8')).toBe(
      [
        'value,n',
        '42,"[1,2]"',
        '-1.5,"[3,4]"',
        '"a,b ""q""","[5,6]"',
        '"{""a"":1,""b"":[2,3]}","[7,8]"',
        'true,"[9,10]"',
        ',"[11,12]"',
        '',
      ].join('\n'),
    );
    expect(ownWorkers()).toEqual([]);
  });

  it('names its columns by params.columns, and writes typed values as JSON arrays', async () => {
    const dir = tempDir();
    const r = await testJob('builtin:csv-sink', {
      params: { path: 'typed.csv', columns: ['samples'] },
      inputs: [[new Float32Array([0.5, 2]), new Float32Array([1, -1])]],
      pipes: { in1: { codec: 'float32', length: 2 } },
      outputs: 0,
      cwd: dir,
    });
    expect(r.error).toBeUndefined();
    expect(readFileSync(join(dir, 'typed.csv'), 'utf8')).toBe('samples\n"[0.5,2]"\n"[1,-1]"\n');
  });

  it('runs from the command line as part of a network, and leaves no process behind', async () => {
    const dir = tempDir();
    const r = await runCli(['run', builtinFixture('csv.yaml')], { cwd: dir });
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'out', 'values.csv'), 'utf8')).toMatch(/^value,n\n42,"\[1,2\]"\n/);
    expect(processesTagged(r.tag)).toEqual([]);
  });


  it('rejects a csv-sink without a path, and unknown or wrong params, before anything runs', async () => {
    const dir = tempDir();
    const r = await runCli(['run', builtinFixture('bad-params.yaml')], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad-params\.yaml:3:5: MRV_CONFIG_SCHEMA job 'tick': builtin:clock has no param 'intervall'\n\s+hint: did you mean 'interval'\?/);
    expect(r.stderr).toMatch(/bad-params\.yaml:4:5: MRV_CONFIG_SCHEMA job 'save': builtin:csv-sink needs params\.path\n\s+hint: add path under params/);
    expect(r.stderr).toMatch(/builtin:csv-sink params\.columns lists 2 name\(s\) but the job has 1 input\(s\)/);
    expect(r.stderr).not.toMatch(/finished|interrupted/);
    expect(processesTagged(r.tag)).toEqual([]);

    const v = await runCli(['validate', builtinFixture('bad-params.yaml')], { cwd: dir });
    expect(v.code).toBe(1);
    expect(v.stderr).toMatch(/3 error\(s\)/);
  });
});
