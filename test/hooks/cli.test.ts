import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { processesTagged, runCli, startCli } from '../helpers/cli.js';
import { readEvents } from '../../src/api/records/store.js';
import type { RunRecord } from '../../src/api/records/types.js';
import { NEXT_TO_NETWORK } from '../records/network-copy.js';
import { hookedNetwork } from './hooked-network.js';

/** The folder of the run the CLI said it recorded, and its run.json. */
function recordOf(runs: string, stderr: string): { dir: string; record: RunRecord } {
  const dir = join(runs, stderr.match(/\[marvelo\] run (\S+) recorded in/)![1]!);
  return { dir, record: JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as RunRecord };
}

describe('hooks - from the CLI', () => {
  it('a failing hook prints its output and a notice; the exit code stays the run\'s', async () => {
    const net = hookedNetwork('throws.yaml', '  on_failure: [sh, -c, "echo paging; exit 7"]');
    const r = await runCli(['run', net.file], { cwd: net.dir, env: NEXT_TO_NETWORK });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^hook on_failure \| paging$/m);
    expect(r.stderr).toContain('[marvelo] MRV_RUN_HOOK hook on_failure ["sh","-c","echo paging; exit 7"] exited with code 7; the run stays failed');
    const { record } = recordOf(net.runs, r.stderr);
    expect([record.status, record.hooks?.[0]?.reason]).toEqual(['failed', 'JobExit(7)']);
    const shown = await runCli(['runs', 'show', record.id, '--runs-dir', net.runs]);
    expect(shown.stdout).toMatch(/hooks \(after the run; they never change its status\):\n {2}hook +status +reason +duration +command\n {2}on_failure +failed +JobExit\(7\) +\d+\.\d\d s +\["sh","-c","echo paging; exit 7"\]/);
  });

  it('a client killed with SIGKILL while a hook runs leaves nothing: the keeper kills the hook\'s process group', async () => {
    const net = hookedNetwork('chain3.yaml', '  on_success: [sh, -c, "sleep 1000 & echo ready; wait"]');
    const run = startCli(['run', net.file], { cwd: net.dir, env: NEXT_TO_NETWORK });
    await run.waitFor(/^hook on_success \| ready$/m, 'stdout');
    expect(processesTagged(run.tag)).not.toEqual([]);
    run.proc.kill('SIGKILL');
    await run.done;
    await expect.poll(() => processesTagged(run.tag), { timeout: 10_000, interval: 50 }).toEqual([]);
  });

  it('Ctrl-C while a hook runs kills its whole process group; the run keeps its status and exit code', async () => {
    const net = hookedNetwork('chain3.yaml', '  on_success: [sh, -c, "sleep 1000 & echo ready; wait"]\n  on_finish: [./record.sh]');
    const run = startCli(['run', net.file], { cwd: net.dir, env: NEXT_TO_NETWORK });
    await run.waitFor(/^hook on_success \| ready$/m, 'stdout');
    run.proc.kill('SIGINT');
    const r = await run.done;
    expect(r.code).toBe(0);
    expect(processesTagged(r.tag)).toEqual([]);
    // the hooks after the interrupted one are not run
    expect(net.order()).toEqual([]);
    const { dir, record } = recordOf(net.runs, r.stderr);
    expect(record.status).toBe('succeeded');
    expect(record.hooks).toMatchObject([{ hook: 'on_success', status: 'cancelled', reason: 'Cancelled', signal: 'SIGTERM' }]);
    expect(readEvents(dir).map((e) => e.type).slice(-2)).toEqual(['finished', 'hook']);
  });
});
