import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../src/api/records/types.js';
import type { RunSummary } from '../../src/api/summary.js';
import { fixture, processesTagged, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp-dir.js';

/** Runs a fixture with --json; its one run record is read back. */
async function runRecorded(name: string) {
  const runs = tempDir();
  const r = await runCli(['run', '--json', fixture(name)], { env: { MARVELO_RUNS_DIR: runs } });
  const ids = readdirSync(runs);
  expect(ids, r.stderr).toHaveLength(1);
  const dir = join(runs, ids[0]!);
  const record = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as RunRecord;
  const events = readFileSync(join(dir, 'events.jsonl'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { type: string });
  const summary = r.code === 0 || r.stdout.trim() !== '' ? (JSON.parse(r.stdout) as RunSummary) : undefined;
  return { ...r, record, events, summary };
}

describe('network timeout', () => {
  it('stops an endless network: exit 124, status timed_out in the summary and the record (DeadlineExceeded), a coded notice', async () => {
    const r = await runRecorded('timeout-run.yaml');
    expect(r.code, r.stderr).toBe(124);
    expect(r.stderr).toContain('MRV_RUN_TIMEOUT the run exceeded its timeout of 1s');
    expect(r.summary).toMatchObject({ status: 'timed_out', timedOut: { code: 'MRV_RUN_TIMEOUT', timeoutMs: 1000 } });
    expect(r.summary!.failure).toBeUndefined();
    expect(r.record).toMatchObject({ status: 'timed_out', reason: 'DeadlineExceeded', failure: { code: 'MRV_RUN_TIMEOUT' } });
    expect(r.record.jobs.every((j) => j.state === 'cancelled')).toBe(true);
    expect(r.record.config!.timeoutMs).toBe(1000);
    expect(r.events.map((e) => e.type)).toContain('timed-out');
    expect(r.events.at(-1)).toMatchObject({ type: 'finished', status: 'timed_out', reason: 'DeadlineExceeded' });
    expect(processesTagged(r.tag)).toEqual([]);
  });
});

describe('job timeout', () => {
  // a job stuck in a synchronous loop in run(): test/faults/matrix.test.ts

  it('fails a job whose async run() never settles', async () => {
    const r = await runRecorded('timeout-await.yaml');
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/MRV_JOB_TIMEOUT job 'waits' timed out: a run\(\) call took longer than its timeout of 500ms; run\(\) of round 5 returned a promise that did not settle/);
    expect(r.record).toMatchObject({ status: 'failed', reason: 'MRV_JOB_TIMEOUT', failure: { job: 'waits' } });
    expect(processesTagged(r.tag)).toEqual([]);
  });

  it("fails a source that waits for its next value longer than its timeout", async () => {
    const r = await runRecorded('timeout-source.yaml');
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/MRV_JOB_TIMEOUT job 'src' timed out: the wait for its next value took longer than its timeout of 500ms; value 4 did not come/);
    expect(r.record).toMatchObject({ status: 'failed', reason: 'MRV_JOB_TIMEOUT' });
    expect(processesTagged(r.tag)).toEqual([]);
  });

  it('leaves jobs that stay under their timeouts alone', async () => {
    const r = await runRecorded('timeout-under.yaml');
    expect(r.code, r.stderr).toBe(0);
    expect(r.summary).toMatchObject({ status: 'finished' });
    expect(r.summary!.failure).toBeUndefined();
    expect(r.summary!.timedOut).toBeUndefined();
    expect(r.summary!.pipes.map((p) => p.blocks)).toEqual([2000, 2000]);
    expect(r.record).toMatchObject({ status: 'succeeded' });
    expect(r.record.config!.jobs.map((j) => j.timeoutMs)).toEqual([30_000, 30_000, 30_000]);
  });
});
