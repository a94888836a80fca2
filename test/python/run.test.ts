import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jobLines, runCli } from '../helpers/cli.js';
import { expectNoProcessLeft } from '../exec/helpers.js';
import { hasPython, pyFixture, scratchDir } from './helpers.js';

const csvRows = (file: string) => readFileSync(file, 'utf8').trimEnd().split(/\r?\n/);

describe.skipIf(!hasPython)('python jobs - runs (the original PythonJobs, unchanged)', () => {
  it('runs demo v1: three generator sources -> join -> reduce with BLOCK_COUNT 5 -> CSVSinkJob', async () => {
    const cwd = scratchDir();
    const r = await runCli(['run', pyFixture('demo_v1', 'network.yaml')], { cwd });
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    const products = Array.from({ length: 20 }, (_, k) => (1 + k) * (20 + 2 * k) * (10 - k));
    expect(jobLines(r.stdout, 'join')).toEqual(products.map((p) => `join -> ${p}`));
    const sums = [0, 1, 2, 3].map((g) => products.slice(5 * g, 5 * g + 5));
    expect(jobLines(r.stdout, 'reduce')).toEqual(sums.map((L) => `reduce -> Sum over [${L.join(', ')}] is ${L.reduce((a, b) => a + b)}`));
    // CSVSinkJob's relative path lands in the folder of `marvelo run`; its column is pipe_<id>
    expect(csvRows(join(cwd, 'reduce.csv'))).toEqual(['pipe_301', '2740', '3640', '-6460', '-35060']);
    expectNoProcessLeft(r.tag);
  });

  it('runs a python connector as replicas (join: replicas 2): the same sums, in order', async () => {
    const cwd = scratchDir();
    const r = await runCli(['run', pyFixture('demo_v1', 'replicas.yaml')], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(csvRows(join(cwd, 'reduce.csv'))).toEqual(['pipe_301', '2740', '3640', '-6460', '-35060']);
    expect(r.stderr).toMatch(/^ {2}105@join#1 +join#1 -> join#merge +10 /m);
    expectNoProcessLeft(r.tag);
  });

  it.each([1, 2])('runs demo v4 (the join as %i replica(s)): an optional operator pipe (its default "+"), a tuple to three outputs, two CSV sinks', async (replicas) => {
    const cwd = scratchDir();
    const r = await runCli(['run', pyFixture('demo_v4', 'network.yaml'), '--set', `jobs.join.replicas=${replicas}`], { cwd });
    expect(r.code).toBe(0);
    const rows = Array.from({ length: 10 }, (_, k) => [1 + k, 20 + 2 * k, 1 - k]);
    expect(csvRows(join(cwd, 'join.csv'))).toEqual([
      'pipe_201,pipe_202,pipe_203,pipe_204,pipe_205',
      ...rows.map(([a, b, c]) => `${a},${b},${c},${a! + b! + c!},+`),
    ]);
    const sums = rows.map(([a, b, c]) => a! + b! + c!);
    const total = (L: number[]) => L.reduce((x, y) => x + y);
    expect(csvRows(join(cwd, 'reduce.csv'))).toEqual(['pipe_301', String(total(sums.slice(0, 5))), String(total(sums.slice(5)))]);
    expectNoProcessLeft(r.tag);
  });

  it('demo v4 with "*" sent: each row is computed with the operator it shows, and it stays once it came', async () => {
    const cwd = scratchDir();
    const r = await runCli(['run', pyFixture('demo_v4', 'multiply.yaml')], { cwd });
    expect(r.code).toBe(0);
    // When "*" arrives depends on timing; what holds in every run: each row agrees with its operator,
    // and once "*" was read it is kept (OPTIONAL_STORE), so no "+" follows a "*".
    const rows = csvRows(join(cwd, 'join.csv')).slice(1).map((l) => l.split(','));
    expect(rows).toHaveLength(10);
    let seen = false;
    for (const [a, b, c, result, operator] of rows) {
      const [x, y, z] = [Number(a), Number(b), Number(c)];
      expect(Number(result)).toBe(operator === '*' ? x * y * z : x + y + z);
      if (operator === '*') seen = true;
      else expect([operator, seen]).toEqual(['+', false]);
    }
    expectNoProcessLeft(r.tag);
  });

  it('carries heads: a HEAD generator source with finish(), a connector without HEAD, out_heads, a HEAD sink', async () => {
    const r = await runCli(['run', pyFixture('heads', 'network.yaml')], { cwd: scratchDir() });
    expect(r.code).toBe(0);
    // 1: reset (marvelo, first block) + user bit 3; 2: bit 4 from out_heads; 3: bit 3; 4: finished + bit 4.
    // The source's generator never ends by itself: finish() before its 4th value ends it after that block.
    expect(jobLines(r.stdout, 'show')).toEqual([
      '11 HEAD: 01010000 -',
      '21 HEAD: 00001000 -',
      '31 HEAD: 00010000 -',
      '41 HEAD: 00101000 finished',
    ]);
    expectNoProcessLeft(r.tag);
  });

  it("keeps the original's return rules: a tuple per output, None ends a job with outputs, a sink gets every block", async () => {
    const r = await runCli(['run', pyFixture('rules', 'rules.yaml')], { cwd: scratchDir() });
    expect(r.code).toBe(0);
    expect(jobLines(r.stdout, 'show-b')).toEqual(['[1, 1]', '[2, 2]', '[3, 3]', '[4, 4]']); // json pipe
    expect(jobLines(r.stdout, 'show-s')).toEqual(['1', '2']); // run() returned None at 3: the job ended
    expectNoProcessLeft(r.tag);
  });

  it('fails the run on a tuple of the wrong length, saying what the rule is', async () => {
    const r = await runCli(['run', pyFixture('rules', 'wrong-tuple.yaml')], { cwd: scratchDir() });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("job 'wrong' failed: MRV_JOB_FAILED python job WrongTuple (python3) exited with status 1");
    expect(jobLines(r.stdout, 'wrong')).toEqual([
      'WrongTuple (rules.py): run() of WrongTuple returned a tuple of 2 values for 1 output(s); return one value per output, or a single tuple value as (value,)',
    ]);
    expectNoProcessLeft(r.tag);
  });

  it("fails the run on an exception in run(), with the job's traceback (no frames of the runtime)", async () => {
    const r = await runCli(['run', pyFixture('rules', 'crash.yaml')], { cwd: scratchDir() });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("job 'crash' failed: MRV_JOB_FAILED");
    const lines = jobLines(r.stdout, 'crash');
    expect(lines[0]).toBe('Traceback (most recent call last):');
    expect(lines[1]).toMatch(/rules\.py", line \d+, in run$/);
    expect(lines.slice(2)).toEqual(['    raise ValueError(f"cannot take {x}")', 'ValueError: cannot take 2']);
    expectNoProcessLeft(r.tag);
  });
});
