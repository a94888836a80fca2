import { describe, expect, it } from 'vitest';
import { jobLines, runCli } from '../helpers/cli.js';
import { onlyRunRecord } from '../helpers/run-record.js';
import { tempDir } from '../helpers/temp-dir.js';

const LAYERS = 'test/fixtures/overrides/layers.yaml';

describe('marvelo run with per-run overrides', () => {
  it('--set, --env and --args reach the jobs, over the job and the defaults; the record keeps the overrides', async () => {
    const runs = tempDir();
    const r = await runCli(
      ['run', LAYERS, '--set', 'jobs.show.params.n=3', '--set', "jobs.show.params.label='5'", '--env', 'LEVEL=3', '--args', "echo=hello 'big world'"],
      { env: { MARVELO_RUNS_DIR: runs } },
    );
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    // n: the override (a number: 3 values went through); label: a text; LEVEL: the global override; MODE: the job's own
    expect(jobLines(r.stdout, 'show').map((l) => JSON.parse(l) as unknown)).toEqual([{ params: { label: '5', n: 3 }, LEVEL: '3', MODE: 'from-job' }]);
    expect(jobLines(r.stdout, 'echo')).toEqual(['hello big world']);
    const { record } = onlyRunRecord(runs);
    expect(record.overrides).toEqual({ set: { 'jobs.show.params.n': 3, 'jobs.show.params.label': '5' }, env: { LEVEL: '3' }, args: { echo: ['hello', 'big world'] } });
    // the config is the effective one; the file is named by its path and hash
    expect(record.config).toBeDefined();
    expect(JSON.stringify(record.config)).toContain('"big world"');
    expect(record.network.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('without overrides the file and its defaults apply', async () => {
    const r = await runCli(['run', LAYERS]);
    expect(r.code).toBe(0);
    expect(jobLines(r.stdout, 'show').map((l) => JSON.parse(l) as unknown)).toEqual([{ params: { label: 'from-job', n: 2 }, LEVEL: 'from-defaults', MODE: 'from-job' }]);
    expect(jobLines(r.stdout, 'echo')).toEqual(['from file']);
  });

  it('--timeout stops a run that would never end (exit code 124)', async () => {
    const runs = tempDir();
    const r = await runCli(['run', 'test/fixtures/run/endless.yaml', '-q', '--timeout', '1'], { env: { MARVELO_RUNS_DIR: runs } });
    expect(r.code).toBe(124);
    expect(r.stderr).toMatch(/MRV_RUN_TIMEOUT the run exceeded its timeout of 1s/);
    const { record } = onlyRunRecord(runs);
    expect(record).toMatchObject({ status: 'timed_out', overrides: { timeout: '1' } });
  });

  it('--max-retries runs a failing network again', async () => {
    const runs = tempDir();
    const r = await runCli(['run', 'test/fixtures/overrides/fails.yaml', '-q', '--max-retries', '1'], { env: { MARVELO_RUNS_DIR: runs } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/running the network again in 10ms \(retry 1 of 1\)/);
    const { record } = onlyRunRecord(runs);
    expect(record).toMatchObject({ status: 'failed', attempts: 2, overrides: { maxRetries: 1 } });
  });

  it('an override naming an unknown job or key fails before anything starts, with a hint', async () => {
    const runs = tempDir();
    const r = await runCli(['run', LAYERS, '--set', 'jobs.shwo.params.n=1'], { env: { MARVELO_RUNS_DIR: runs } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("MRV_CONFIG_OVERRIDE --set jobs.shwo.params.n=1: names no job 'shwo'\n  hint: did you mean 'show'?");
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    const { record, events } = onlyRunRecord(runs);
    expect(record.startedAt).toBeUndefined();
    expect(events.map((e) => e.type)).not.toContain('started');

    const key = await runCli(['run', LAYERS, '--set', 'jobs.take.parms.x=1']);
    expect(key.code).toBe(1);
    expect(key.stderr).toContain("MRV_CONFIG_OVERRIDE --set jobs.take.parms.x=1: unknown key 'parms' in job 'take'\n  hint: did you mean 'params'?");
  });
});
