import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../src/api/records/types.js';
import { cpuCgroup, cpuLimitNotice } from '../../src/control/cpu-cgroup.js';
import { heapLimitArgs } from '../../src/control/memory-watch.js';
import { fixture, processesTagged, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp-dir.js';

/** Runs a fixture; its one run record and its events are read back. */
async function runRecorded(name: string) {
  const runs = tempDir();
  const r = await runCli(['run', fixture(name)], { env: { MARVELO_RUNS_DIR: runs } });
  const ids = readdirSync(runs);
  expect(ids, r.stderr).toHaveLength(1);
  const dir = join(runs, ids[0]!);
  const record = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as RunRecord;
  const events = readFileSync(join(dir, 'events.jsonl'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { type: string; [k: string]: unknown });
  return { ...r, record, events };
}

describe('memory limit', () => {
  it('kills a job whose RSS goes over its limit (Buffers, outside the heap): MRV_JOB_OOM, reason OOMKilled', async () => {
    const r = await runRecorded('limits-rss.yaml');
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/MRV_JOB_OOM job 'hoard' was OOMKilled: its worker on node 'local' used [\d.]+ MiB of resident memory \(RSS\), over its memory limit of 64Mi, and was killed/);
    expect(r.stderr).toContain("hint: raise the job's limits.memory");
    expect(r.record).toMatchObject({ status: 'failed', reason: 'OOMKilled', failure: { job: 'hoard', code: 'MRV_JOB_OOM' } });
    expect(r.record.jobs.find((j) => j.job === 'hoard')).toMatchObject({ state: 'failed' });
    expect(r.events.find((e) => e.type === 'job-failed')).toMatchObject({ job: 'hoard', code: 'MRV_JOB_OOM', reason: 'OOMKilled' });
    expect(processesTagged(r.tag)).toEqual([]);
  });

  it('reports a limited job whose capped heap runs out as OOMKilled too', async () => {
    const r = await runRecorded('limits-heap.yaml');
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/MRV_JOB_OOM job 'hoard' was OOMKilled: its worker on node 'local' (ran out of JavaScript heap|used [\d.]+ MiB of resident memory)/);
    expect(r.record).toMatchObject({ status: 'failed', reason: 'OOMKilled', failure: { job: 'hoard', code: 'MRV_JOB_OOM' } });
    expect(processesTagged(r.tag)).toEqual([]);
  });

  it('an OOMKilled job with on_failure: restart is restarted, and fails for good once its retries are spent', async () => {
    const r = await runRecorded('limits-restart.yaml');
    expect(r.code, r.stderr).toBe(1);
    expect(r.events.filter((e) => e.type === 'job-restarting')).toEqual([expect.objectContaining({ job: 'hoard', attempt: 1, reason: 'OOMKilled' })]);
    expect(r.events.find((e) => e.type === 'job-failed')).toMatchObject({ job: 'hoard', code: 'MRV_JOB_RESTARTS', message: expect.stringContaining("job 'hoard' was OOMKilled") });
    expect(r.record).toMatchObject({ status: 'failed', reason: 'BackoffLimitExceeded' });
    expect(processesTagged(r.tag)).toEqual([]);
  });

  it('caps the heap of a limited job a quarter under its limit (never under 16 MiB), and nothing else', () => {
    expect(heapLimitArgs({ limits: { memoryBytes: 512 * 2 ** 20 } })).toEqual(['--max-old-space-size=384']);
    expect(heapLimitArgs({ limits: { memoryBytes: 1e9 } })).toEqual(['--max-old-space-size=715']);
    expect(heapLimitArgs({ limits: { memoryBytes: 8 * 2 ** 20 } })).toEqual(['--max-old-space-size=16']);
    expect(heapLimitArgs({ limits: { cpuMillis: 500 } })).toEqual([]);
    expect(heapLimitArgs({})).toEqual([]);
  });
});

describe('CPU limit', () => {
  it('runs jobs under their limits to the end, with one notice naming the jobs whose CPU limit is not enforced', async () => {
    const r = await runRecorded('limits-cpu.yaml');
    expect(r.code, r.stderr).toBe(0);
    const notices = r.events.filter((e) => e.type === 'notice' && String(e['text']).includes('CPU limit'));
    expect(notices).toHaveLength(1);
    expect(notices[0]!['text']).toMatch(/^the CPU limit of jobs 'src', 'sink' is not enforced: .+; they may use more CPU than the limit$/);
    expect(r.stderr).toContain("the CPU limit of jobs 'src', 'sink' is not enforced");
    expect(r.record).toMatchObject({ status: 'succeeded' });
  });

  const mountinfo = '41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n';
  const files = (over: Partial<Parameters<typeof cpuCgroup>[0]>) =>
    cpuCgroup({ procCgroup: '1:cpu:/\n0::/\n', mountinfo, read: () => 'cpu memory pids\n', writable: () => true, ...over });

  it('finds out why a CPU limit cannot be enforced', () => {
    expect(files({ procCgroup: undefined })).toEqual({ usable: false, why: 'this system has no Linux cgroups' });
    expect(files({ procCgroup: '1:cpu:/\n' })).toMatchObject({ usable: false, why: expect.stringContaining('no cgroup v2 hierarchy') });
    expect(files({ mountinfo: '22 1 8:1 / / rw - ext4 /dev/sda1 rw\n' })).toMatchObject({ usable: false, why: 'no cgroup v2 file system is mounted' });
    // a hybrid mount: cgroup2 is there, its cpu controller is held by cgroups v1
    expect(files({ read: () => '\n' })).toMatchObject({ usable: false, why: expect.stringContaining('no cpu controller') });
    expect(files({ writable: () => false })).toMatchObject({ usable: false, why: expect.stringContaining('may not create cgroups under /sys/fs/cgroup/unified') });
    expect(files({})).toEqual({ usable: true, dir: '/sys/fs/cgroup/unified' });
  });

  it('gives no notice when no job has a CPU limit, and names one job in the singular', () => {
    const why = { usable: false, why: 'reasons' } as const;
    expect(cpuLimitNotice([{ name: 'a', limits: { memoryBytes: 1 } as { cpuMillis?: number } }, { name: 'b' }], why)).toBeUndefined();
    expect(cpuLimitNotice([{ name: 'a', limits: { cpuMillis: 500 } }], why)).toBe("the CPU limit of job 'a' is not enforced: reasons; it may use more CPU than the limit");
  });
});
