import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../src/api/records/types.js';
import { processesTagged, runCli, startCli } from '../helpers/cli.js';
import { networkCopy, NEXT_TO_NETWORK } from './network-copy.js';

function record(runs: string): RunRecord {
  const [id] = readdirSync(runs);
  return JSON.parse(readFileSync(join(runs, id!, 'run.json'), 'utf8')) as RunRecord;
}

async function waitUntil(cond: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!cond() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
}

describe('marvelo stop', () => {
  it('stops a running network from another terminal as Ctrl-C does: the record says cancelled', async () => {
    const net = networkCopy('endless.yaml');
    const run = startCli(['run', net.file], { cwd: net.dir, env: NEXT_TO_NETWORK });
    await run.waitFor(/^sink\s*\| 1$/m, 'stdout');
    const stop = await runCli(['stop', 'last'], { cwd: net.dir, env: NEXT_TO_NETWORK });
    expect(stop.code, stop.stderr).toBe(0);
    expect(stop.stderr).toMatch(/^\[marvelo\] run \S+ stopped: cancelled\n$/);
    const r = await run.done;
    expect(r.code).toBe(130);
    expect(processesTagged(r.tag)).toEqual([]);
    expect(record(net.runs)).toMatchObject({ status: 'cancelled', reason: 'Cancelled' });

    const again = await runCli(['stop', 'last'], { cwd: net.dir, env: NEXT_TO_NETWORK });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^error: MRV_RUN_RECORD run \S+ is not running: it was cancelled\n/);
  });

  it('kills the client after the grace period; its keeper kills the workers and the record says cancelled', async () => {
    const net = networkCopy('endless.yaml');
    const run = startCli(['run', net.file], { cwd: net.dir, env: NEXT_TO_NETWORK });
    await run.waitFor(/^sink\s*\| 1$/m, 'stdout');
    const stop = await runCli(['stop', 'last', '--grace', '0'], { cwd: net.dir, env: NEXT_TO_NETWORK });
    expect(stop.code, stop.stderr).toBe(0);
    expect(stop.stderr).toMatch(/^\[marvelo\] run \S+ killed after 0 s .*: cancelled\n$/);
    expect((await run.done).signal).toBe('SIGKILL');
    expect(record(net.runs)).toMatchObject({ status: 'cancelled', reason: 'Cancelled' });
    expect(record(net.runs).jobs.every((j) => j.state === 'cancelled')).toBe(true);
    // the keeper kills the workers once it sees the client gone: poll for that, bounded
    await waitUntil(() => processesTagged(run.tag).length === 0);
    expect(processesTagged(run.tag)).toEqual([]);
  });
});
