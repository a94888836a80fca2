import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, startCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp-dir.js';
import { onlyRunRecord } from '../helpers/run-record.js';
import { networkCopy, NEXT_TO_NETWORK } from './network-copy.js';

const ID = /^\d{8}-\d{6}-\d{3}-[0-9a-f]{6}$/;

describe('run records', () => {
  it('a finished run: run.json with placement, per-job figures and summary; its events; every line the sink printed', async () => {
    const net = networkCopy('chain3.yaml');
    const r = await runCli(['run', net.file], { cwd: net.dir, env: NEXT_TO_NETWORK });
    expect(r.code, r.stderr).toBe(0);
    const { id, dir, record, events } = onlyRunRecord(net.runs);
    expect(id).toMatch(ID);
    expect(r.stderr).toContain(`[marvelo] run ${id} recorded in ${join('.marvelo', 'runs', id)}`);
    expect(record).toMatchObject({ id, status: 'succeeded', trigger: 'cli', network: { file: net.file, name: 'chain3' } });
    expect(record.reason).toBeUndefined();
    expect(record.network.sha256).toBe(createHash('sha256').update(readFileSync(net.file)).digest('hex'));
    expect(Date.parse(record.acceptedAt)).toBeLessThanOrEqual(Date.parse(record.startedAt!));
    expect(Date.parse(record.startedAt!)).toBeLessThanOrEqual(Date.parse(record.finishedAt!));
    expect(record.config!.jobs.map((j) => j.name)).toEqual(['src', 'f1', 'f2', 'f3', 'sink']);
    expect(record.placement!.jobs.every((j) => j.node === 'local')).toBe(true);
    expect(record.placement!.pipes.map((p) => p.transport)).toEqual(['unix', 'unix', 'unix', 'unix']);
    for (const j of record.jobs) {
      expect(j).toMatchObject({ node: 'local', state: 'succeeded', exit: { code: 0, signal: null } });
      expect(j.pid).toBeGreaterThan(0);
    }
    expect(record.summary).toMatchObject({ network: 'chain3', status: 'finished' });
    expect(record.summary!.pipes.map((p) => p.blocks)).toEqual([100, 100, 100, 100]);
    const types = events.map((e) => e.type);
    expect(types.slice(0, 3)).toEqual(['accepted', 'planned', 'started']);
    expect(types.at(-1)).toBe('finished');
    expect(types.filter((t) => t === 'job-finished')).toHaveLength(5);
    expect(types.filter((t) => t === 'job-exited')).toHaveLength(5);
    expect(types).not.toContain('log');
    expect(types).not.toContain('metrics');
    expect(events.at(-1)).toMatchObject({ status: 'succeeded', dropped: { a: 0, b: 0, c: 0, d: 0 } });
    expect(readFileSync(join(dir, 'logs', 'sink.log'), 'utf8')).toBe(Array.from({ length: 100 }, (_, i) => `${i + 1}\n`).join(''));

    const logs = await runCli(['logs', 'last'], { cwd: net.dir, env: NEXT_TO_NETWORK });
    expect(logs.code, logs.stderr).toBe(0);
    expect(logs.stdout.split('\n').slice(0, 2)).toEqual(['sink | 1', 'sink | 2']);
    const one = await runCli(['logs', id, 'sink'], { cwd: net.dir, env: NEXT_TO_NETWORK });
    expect(one.stdout).toBe(readFileSync(join(dir, 'logs', 'sink.log'), 'utf8'));
  });

  it("a failed run: its reason, the failed job, the job-failed event; runs --status and runs show say so", async () => {
    const net = networkCopy('throws.yaml');
    const r = await runCli(['run', net.file, '-q'], { cwd: net.dir, env: NEXT_TO_NETWORK });
    expect(r.code).toBe(1);
    const { id, record, events } = onlyRunRecord(net.runs);
    expect(record).toMatchObject({ status: 'failed', reason: 'MRV_JOB_FAILED', failure: { job: 'bad', message: 'boom at 5' } });
    expect(record.jobs.find((j) => j.job === 'bad')).toMatchObject({ state: 'failed', exit: { code: 1 } });
    expect(events.find((e) => e.type === 'job-failed')).toMatchObject({ job: 'bad', reason: 'MRV_JOB_FAILED' });

    const failed = await runCli(['runs', '--status', 'failed', '--json'], { cwd: net.dir, env: NEXT_TO_NETWORK });
    expect(JSON.parse(failed.stdout)).toMatchObject([{ id, network: 'throws', status: 'failed', reason: 'MRV_JOB_FAILED', nodes: ['local'] }]);
    const ok = await runCli(['runs', '--status', 'succeeded', '--json'], { cwd: net.dir, env: NEXT_TO_NETWORK });
    expect(JSON.parse(ok.stdout)).toEqual([]);
    const show = await runCli(['runs', 'show', 'last'], { cwd: net.dir, env: NEXT_TO_NETWORK });
    expect(show.stdout).toContain('status    failed (MRV_JOB_FAILED)');
    expect(show.stdout).toContain("failure   job 'bad': boom at 5");
    expect(show.stdout).toMatch(/^ {2}bad +local +\d+ +failed +1 /m);
  });

  it('a network file that does not load: a failed record with the error code; a file that does not exist: no record', async () => {
    const dir = tempDir();
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'name: bad\njobs:\n  - { name: a, uses: ./nope.ts }\n');
    const r = await runCli(['run', file], { cwd: dir, env: NEXT_TO_NETWORK });
    expect(r.code).toBe(1);
    const { record } = onlyRunRecord(join(dir, '.marvelo', 'runs'));
    expect(record).toMatchObject({ status: 'failed', reason: 'MRV_CONFIG_MODULE', failure: { code: 'MRV_CONFIG_MODULE' } });
    expect(record.startedAt).toBeUndefined();

    const other = tempDir();
    expect((await runCli(['run', join(other, 'missing.yaml')], { cwd: other, env: NEXT_TO_NETWORK })).code).toBe(1);
    expect(existsSync(join(other, '.marvelo'))).toBe(false);
  });

  it('Ctrl-C: the run is cancelled, with an interrupted event', async () => {
    const net = networkCopy('endless.yaml');
    const run = startCli(['run', net.file], { cwd: net.dir, env: NEXT_TO_NETWORK });
    await run.waitFor(/^sink\s*\| 1$/m, 'stdout');
    run.proc.kill('SIGINT');
    const r = await run.done;
    expect(r.code).toBe(130);
    const { record, events } = onlyRunRecord(net.runs);
    expect(record).toMatchObject({ status: 'cancelled', reason: 'Cancelled' });
    expect(record.jobs.every((j) => j.state === 'cancelled')).toBe(true);
    expect(events.map((e) => e.type)).toContain('interrupted');
    expect(events.at(-1)).toMatchObject({ type: 'finished', status: 'cancelled' });
  });
  // a worker killed by a signal, a client killed with SIGKILL: test/faults/matrix.test.ts
});
