import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bigNetworkText } from '../helpers/big-network.js';
import { fixture, jobLines, processesTagged, startCli } from '../helpers/cli.js';
import { workerProcesses } from '../helpers/process-table.js';
import { tempDir } from '../helpers/temp-dir.js';

/** Run folders (they hold the job bundles) in `tmp`. */
function runFolders(tmp: string): string[] {
  return readdirSync(tmp).filter((name) => existsSync(join(tmp, name, 'bundles')));
}

describe('run - interruption (intruders on a data port: test/faults/matrix.test.ts)', () => {
  it('Ctrl-C (SIGINT) stops every worker and exits 130', async () => {
    const run = startCli(['run', fixture('endless.yaml')]);
    await run.waitFor(/^sink\s*\| 3$/m, 'stdout');
    run.proc.kill('SIGINT');
    const r = await run.done;
    expect(r.code).toBe(130);
    expect(processesTagged(r.tag)).toEqual([]);
  });

  it('a killed client leaves no worker behind, and no run folder', async () => {
    const tmp = tempDir(); // the run's temporary folder is made here
    const run = startCli(['run', fixture('endless.yaml')], { env: { TMPDIR: tmp } });
    await run.waitFor(/^sink\s*\| 3$/m, 'stdout');
    expect(runFolders(tmp)).toHaveLength(1);
    run.proc.kill('SIGKILL');
    await run.done;
    // Workers exit when their control stream closes: poll for that, bounded, rather than assume a delay.
    await waitUntil(() => processesTagged(run.tag).length === 0);
    expect(processesTagged(run.tag)).toEqual([]);
    expect(runFolders(tmp)).toEqual([]); // the workers removed it on their way out
  });

  // The workers start once the file has passed its schema, while the client bundles and imports the
  // job modules: a client killed then must not leave them, nor its run folder.
  it('a client killed while it loads the network leaves no worker behind, and no run folder', async () => {
    const tmp = tempDir();
    const run = startCli(['run', fixture('slow-load.yaml')], { env: { TMPDIR: tmp } });
    await run.waitFor(/^slow-load: loading$/m, 'stderr');
    expect(workerProcesses(processesTagged(run.tag))).toHaveLength(3); // a worker per job, before any import
    expect(runFolders(tmp)).toHaveLength(1);
    run.proc.kill('SIGKILL');
    await run.done;
    await waitUntil(() => processesTagged(run.tag).length === 0);
    expect(processesTagged(run.tag)).toEqual([]);
    expect(runFolders(tmp)).toEqual([]); // the prestarted workers removed it
  });

  // A job stuck in a synchronous loop never sees its control channel close: the run's keeper
  // process ends it. Every job of spin.yaml is stuck, so no worker's event loop can remove the run folder.
  it('a killed client leaves no worker behind when every job is stuck in a synchronous loop, and no run folder', async () => {
    const tmp = tempDir();
    const run = startCli(['run', fixture('spin.yaml')], { env: { TMPDIR: tmp, SPIN_MARK: join(tmp, 'spinning') } });
    await run.waitFor(/^src\s*\| spinning$/m, 'stdout');
    expect(workerProcesses(processesTagged(run.tag))).toHaveLength(2);
    expect(runFolders(tmp)).toHaveLength(1);
    run.proc.kill('SIGKILL');
    await run.done;
    const killed = Date.now();
    await waitUntil(() => processesTagged(run.tag).length === 0 && runFolders(tmp).length === 0);
    console.log(`workers and run folder gone ${Date.now() - killed} ms after the client was killed`);
    expect(processesTagged(run.tag)).toEqual([]);
    expect(runFolders(tmp)).toEqual([]);
  });

  it('Ctrl-C twice ends a run whose jobs are stuck in a synchronous loop: no worker, no run folder', async () => {
    const tmp = tempDir();
    const run = startCli(['run', fixture('spin.yaml')], { env: { TMPDIR: tmp, SPIN_MARK: join(tmp, 'spinning') } });
    await run.waitFor(/^src\s*\| spinning$/m, 'stdout');
    run.proc.kill('SIGINT');
    await run.waitFor(/interrupted: stopping every worker/, 'stderr');
    run.proc.kill('SIGINT');
    const r = await run.done;
    expect(r.code).toBe(130);
    await waitUntil(() => processesTagged(r.tag).length === 0 && runFolders(tmp).length === 0);
    expect(processesTagged(r.tag)).toEqual([]);
    expect(runFolders(tmp)).toEqual([]);
  });
});

// A 10 MB network file takes seconds to parse: the signal arrives while it is parsed.
describe('run - interrupted while the network file is parsed', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} stops the load with MRV_RUN_INTERRUPTED and leaves no temp folder`, async () => {
      const file = join(tempDir(), 'big.yaml');
      writeFileSync(file, bigNetworkText(10 * 1024 * 1024));
      const tmp = tempDir(); // the run's temporary folder is made here, just before the file is read
      const run = startCli(['run', file], { env: { TMPDIR: tmp } });
      await waitUntil(() => readdirSync(tmp).length > 0);
      expect(readdirSync(tmp)).toHaveLength(1);
      run.proc.kill(signal);
      const r = await run.done;
      expect(r.stderr).toContain('error: MRV_RUN_INTERRUPTED interrupted while loading the network file');
      expect(r.stderr).not.toContain('internal error');
      expect(r.code).toBe(130);
      expect(readdirSync(tmp)).toEqual([]);
      expect(processesTagged(r.tag)).toEqual([]);
    });
  }

  it('a client killed (SIGKILL) while it parses leaves no temp folder', async () => {
    const file = join(tempDir(), 'big.yaml');
    writeFileSync(file, bigNetworkText(10 * 1024 * 1024));
    const tmp = tempDir();
    const run = startCli(['run', file], { env: { TMPDIR: tmp } });
    await waitUntil(() => readdirSync(tmp).length > 0);
    run.proc.kill('SIGKILL');
    await run.done;
    await waitUntil(() => readdirSync(tmp).length === 0); // the run's keeper removes it
    expect(readdirSync(tmp)).toEqual([]);
    expect(processesTagged(run.tag)).toEqual([]);
  });
});

async function waitUntil(cond: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!cond() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
}
