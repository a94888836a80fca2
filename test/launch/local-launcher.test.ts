import { readdirSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { describe, expect, it, onTestFinished } from 'vitest';
import { LocalLauncher } from '../../src/launch/local.js';
import type { WorkerHandle } from '../../src/launch/types.js';
import { JOB_ARG, RUN_ARG } from '../../src/worker/boot/args.js';
import { tempDir } from '../helpers/temp-dir.js';

function procFile(pid: number | undefined, file: 'cmdline' | 'environ'): string[] {
  return readFileSync(`/proc/${pid}/${file}`, 'latin1').split('\0').filter((s) => s !== '');
}

/** Live (not zombie) processes whose arguments name the run. */
function workersOfRun(runId: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = procFile(Number(entry), 'cmdline');
      const at = argv.indexOf(RUN_ARG);
      if (at < 0 || argv[at + 1] !== runId) continue;
      const stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
      if (stat[stat.lastIndexOf(')') + 2] !== 'Z') pids.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return pids.sort((a, b) => a - b);
}

describe('LocalLauncher - workers started before their jobs are known', () => {
  it('hands prestarted workers to jobs that need nothing of their own, and stops the ones left over', async () => {
    const runId = randomBytes(6).toString('hex');
    const cwd = process.cwd();
    const launcher = new LocalLauncher(tempDir(), process.cwd());
    const handles: WorkerHandle[] = [];
    onTestFinished(async () => {
      for (const h of handles) h.kill();
      await launcher.release();
      await Promise.all(handles.map((h) => h.exited));
    });

    launcher.prestart(2, runId, cwd);
    expect(workersOfRun(runId)).toHaveLength(2);

    const spare = await launcher.launch({ job: 'a', runId, cwd, env: {} });
    const withEnv = await launcher.launch({ job: 'b', runId, cwd, env: { MARVELO_JOB_ENV_CHECK: 'b' } });
    const elsewhere = await launcher.launch({ job: 'c', runId, cwd: tempDir(), env: {} });
    handles.push(spare, withEnv, elsewhere);

    // a prestarted worker was started without a job; the others for theirs
    expect(procFile(spare.pid, 'cmdline')).not.toContain(JOB_ARG);
    expect(procFile(withEnv.pid, 'cmdline').slice(-2)).toEqual([JOB_ARG, 'b']);
    expect(procFile(withEnv.pid, 'environ')).toContain('MARVELO_JOB_ENV_CHECK=b');
    expect(procFile(elsewhere.pid, 'cmdline').slice(-2)).toEqual([JOB_ARG, 'c']);

    // the spare nobody took is gone once release() resolves; the launched workers run on
    await launcher.release();
    expect(workersOfRun(runId)).toEqual([spare.pid!, withEnv.pid!, elsewhere.pid!].sort((a, b) => a - b));

    // a worker exits when its control channel closes
    for (const h of handles) h.input.end();
    const exits = await Promise.all(handles.map((h) => h.exited));
    expect(exits.map((e) => e.code)).toEqual([0, 0, 0]);
    expect(workersOfRun(runId)).toEqual([]);
  });
});
