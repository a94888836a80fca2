import { describe, expect, it } from 'vitest';
import { jobLines, processesTagged, runCli, startCli } from '../helpers/cli.js';
import { execFixture, expectNoProcessLeft } from './helpers.js';

describe('executable jobs - failures and stops', () => {
  // a program that exits 3 or dies of a signal: test/faults/matrix.test.ts

  it('a program that ends an output in the middle of a block fails the run and says what a block is', async () => {
    const r = await runCli(['run', execFixture('partial.yaml')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/job 'cut' failed: MRV_JOB_FAILED executable \S+invert ended output 'b' in the middle of a block: 2 byte\(s\) left over/);
    expectNoProcessLeft(r.tag);
  });

  it('stops an endless program when its consumer has taken enough, and finishes normally', async () => {
    const r = await runCli(['run', execFixture('stop.yaml')]);
    expect(r.code).toBe(0);
    expect(jobLines(r.stdout, 'sink')).toEqual([1, 2, 3, 4, 5].map((i) => `{"i":${i}}`));
    expectNoProcessLeft(r.tag);
  });

  it('Ctrl-C (SIGINT) stops the workers and their programs, exit 130', async () => {
    const run = startCli(['run', execFixture('interrupt.yaml')]);
    await run.waitFor(/^sink\s*\| 3$/m, 'stdout');
    run.proc.kill('SIGINT');
    const r = await run.done;
    expect(r.code).toBe(130);
    expectNoProcessLeft(r.tag);
  });

  it('a killed client leaves no program behind', async () => {
    const run = startCli(['run', execFixture('interrupt.yaml')]);
    await run.waitFor(/^sink\s*\| 3$/m, 'stdout');
    run.proc.kill('SIGKILL');
    await run.done;
    // Workers exit when their control stream closes and take their programs with them; wait for that.
    await until(() => processesTagged(run.tag).length === 0);
    expectNoProcessLeft(run.tag);
  });
});

async function until(cond: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!cond() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
}
