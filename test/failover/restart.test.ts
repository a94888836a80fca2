import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, startRun, type RunEvent } from '../../src/api/run.js';
import { loadNetwork } from '../../src/config/load.js';
import { formatRunShow } from '../../src/cli/runs-format.js';
import { MarveloErrors } from '../../src/errors.js';
import { onlyRunRecord } from '../helpers/run-record.js';
import { tempDir } from '../helpers/temp-dir.js';

const NET = join(import.meta.dirname, '..', 'fixtures', 'failover');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs a network through the API and kills `victim`'s current worker (or several jobs' at once) with
 * SIGKILL each time the sink has run the next of `after` rounds; returns what happened: the events, the
 * sink's lines and every worker pid seen.
 */
async function runAndKill(network: string, victim: string | string[], after: number | number[], record?: { dir: string }) {
  const events: RunEvent[] = [];
  const lines: string[] = [];
  const pids = new Set<number>();
  const current = new Map<string, number>();
  const thresholds = [after].flat();
  let kills = 0;
  const handle = startRun(join(NET, network), {
    cwd: NET,
    metricsMs: 50,
    ...(record ? { record } : {}),
    onEvent: (e) => {
      events.push(e);
      if (e.type === 'log' && e.job === 'sink') lines.push(e.line);
      if (e.type === 'started') for (const w of e.workers) if (w.pid !== undefined) current.set(w.job, w.pid);
      if (e.type === 'job-restarted' && e.pid !== undefined) current.set(e.job, e.pid);
      for (const pid of current.values()) pids.add(pid);
      if (e.type === 'metrics' && e.job === 'sink' && kills < thresholds.length && e.stats.rounds >= thresholds[kills]!) {
        // the next kill only once the last one's restart is done: every victim runs its new worker
        const restartedAll = events.filter((x) => x.type === 'job-restarted').length >= kills * [victim].flat().length;
        if (!restartedAll) return;
        kills++;
        for (const job of [victim].flat()) process.kill(current.get(job)!, 'SIGKILL');
      }
    },
  });
  const result = await handle.done;
  return { result, events, lines, pids, killed: kills === thresholds.length };
}

describe('restart on failure, locally', () => {
  it('a stateless connector killed with SIGKILL mid-stream is restarted: 1 M blocks arrive exactly once, in order, no dummy', async () => {
    const { result, events, lines, pids, killed } = await runAndKill('diamond.yaml', 'double', 200_000);
    expect(killed).toBe(true);
    expect(result.summary.failure).toBeUndefined();
    expect(result.exitCode).toBe(0);
    expect(lines).toEqual(['count 1000000 wrong 0 dummies 0']);
    const restarting = events.find((e) => e.type === 'job-restarting');
    expect(restarting).toMatchObject({ type: 'job-restarting', job: 'double', node: 'local', attempt: 1, stateLost: false });
    expect(restarting?.type === 'job-restarting' && restarting.reason).toMatch(/SIGKILL/);
    expect(events.find((e) => e.type === 'job-restarted')).toMatchObject({ job: 'double', node: 'local', attempt: 1 });
    const pipes = Object.fromEntries(result.summary.pipes.map((p) => [p.pipe, p]));
    expect(pipes['y']!.blocks).toBe(1_000_000);
    expect(pipes['y']!.dummies).toBe(0);
    for (const pid of pids) expect(alive(pid)).toBe(false);
  });

  it('two adjacent jobs killed together (as on one node) are both restarted: the sink still gets every block once', async () => {
    const { result, events, lines, pids } = await runAndKill('diamond2.yaml', ['double', 'join'], 200_000);
    expect(result.exitCode).toBe(0);
    expect(lines).toEqual(['count 1000000 wrong 0 dummies 0']);
    expect(events.filter((e) => e.type === 'job-restarted').map((e) => e.type === 'job-restarted' && e.job).sort()).toEqual(['double', 'join']);
    for (const pid of pids) expect(alive(pid)).toBe(false);
  });

  it('a connector killed three times in one run is restarted each time (max_retries 3): still exact', async () => {
    const { result, events, lines, pids, killed } = await runAndKill('diamond.yaml', 'double', [150_000, 450_000, 750_000]);
    expect(killed).toBe(true);
    expect(result.exitCode).toBe(0);
    expect(lines).toEqual(['count 1000000 wrong 0 dummies 0']);
    expect(events.filter((e) => e.type === 'job-restarted').map((e) => e.type === 'job-restarted' && e.attempt)).toEqual([1, 2, 3]);
    for (const pid of pids) expect(alive(pid)).toBe(false);
  });

  it('a job that throws is restarted after its back-off; the record counts its attempts and the reason', async () => {
    const runs = tempDir();
    const lines: string[] = [];
    const result = await run(join(NET, 'fails-once.yaml'), { cwd: NET, record: { dir: runs }, onEvent: (e) => void (e.type === 'log' && e.job === 'sink' && lines.push(e.line)) });
    expect(result.exitCode).toBe(0);
    expect(lines).toEqual(['count 100000 wrong 0 dummies 0']);
    const { record, events } = onlyRunRecord(runs);
    expect(record.status).toBe('succeeded');
    const double = record.jobs.find((j) => j.job === 'double')!;
    expect(double.attempts).toBe(2);
    expect(double.restarts).toMatchObject([{ from: 'local', to: 'local', reason: 'MRV_JOB_FAILED', stateLost: false }]);
    expect(double.restarts[0]!.message).toMatch(/failing at 50000 on purpose/);
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['job-restarting', 'job-restarted']));
    expect(events.find((e) => e.type === 'job-restarting')).toMatchObject({ job: 'double', attempt: 1, delayMs: 10 });
    // runs show lists the restart with its reason
    const shown = formatRunShow(record).split('\n');
    expect(shown).toContain('restarts:');
    expect(shown.find((l) => /^ {2}double +1 /.test(l))).toMatch(/local +MRV_JOB_FAILED +local +kept$/);
    expect(shown).toContain('  double #1: failing at 50000 on purpose');
  });

  it('a job stuck in run() past its timeout is killed and restarted: reason MRV_JOB_TIMEOUT, the stream goes on exactly', async () => {
    const events: RunEvent[] = [];
    const lines: string[] = [];
    const result = await run(join(NET, 'stuck-once.yaml'), {
      cwd: NET,
      onEvent: (e) => {
        events.push(e);
        if (e.type === 'log' && e.job === 'sink') lines.push(e.line);
      },
    });
    expect(result.exitCode).toBe(0);
    expect(lines).toEqual(['count 10000 wrong 0 dummies 0']);
    expect(events.find((e) => e.type === 'job-restarting')).toMatchObject({ job: 'double', code: 'MRV_JOB_TIMEOUT' });
  });

  it('a job that fails again after its last retry fails the run: MRV_JOB_RESTARTS, reason BackoffLimitExceeded', async () => {
    const runs = tempDir();
    const result = await run(join(NET, 'fails-always.yaml'), { cwd: NET, record: { dir: runs } });
    expect(result.exitCode).toBe(1);
    expect(result.summary.failure).toMatchObject({ job: 'double', code: 'MRV_JOB_RESTARTS' });
    expect(result.summary.failure!.message).toMatch(/restarted 2 time\(s\), as max_retries allows: .*failing at 50000 on purpose/);
    const { record } = onlyRunRecord(runs);
    expect(record).toMatchObject({ status: 'failed', reason: 'BackoffLimitExceeded' });
    expect(record.jobs.find((j) => j.job === 'double')!.restarts).toHaveLength(2);
  });

  it('a source with seek(sqn) and a connector that keeps state are restarted: the stream goes on exactly; the record says the state was lost', async () => {
    const runs = tempDir();
    const first = await runAndKill('chain.yaml', 'source', 300_000, { dir: runs });
    expect(first.result.exitCode).toBe(0);
    expect(first.lines).toEqual(['count 1000000 wrong 0 dummies 0']);
    const { record } = onlyRunRecord(runs);
    expect(record.jobs.find((j) => j.job === 'source')!.restarts).toMatchObject([{ reason: 'JobExit(SIGKILL)', stateLost: true }]);

    const second = await runAndKill('chain.yaml', 'tally', 300_000);
    expect(second.result.exitCode).toBe(0);
    expect(second.lines).toEqual(['count 1000000 wrong 0 dummies 0']);
    expect(second.events.find((e) => e.type === 'job-restarting')).toMatchObject({ job: 'tally', stateLost: true });
    for (const pid of [...first.pids, ...second.pids]) expect(alive(pid)).toBe(false);
  });

  it("a consumer killed while its producer's stream pauses is restarted alone: the producer holds what it makes until the new consumer grants credit", async () => {
    // The source stops before each gate until the test has killed `join` and seen it restarted, so
    // `double` runs on with the credit it counted for the old `join` while the new one connects.
    const dir = tempDir();
    const gates = [10_001, 20_001, 30_001, 40_001, 50_001, 60_001];
    const events: RunEvent[] = [];
    const sink: string[] = [];
    let pid = 0;
    let kills = 0;
    const handle = startRun(join(NET, 'paused.yaml'), {
      cwd: NET,
      metricsMs: 50,
      overrides: { set: { 'jobs.source.params.gates': gates, 'jobs.source.params.dir': dir } },
      onEvent: (e) => {
        events.push(e);
        if (e.type === 'log' && e.job === 'sink') sink.push(e.line);
        if (e.type === 'started') pid = e.workers.find((w) => w.job === 'join')!.pid!;
        if (e.type === 'job-restarted' && e.job === 'join') {
          pid = e.pid!;
          writeFileSync(join(dir, `go-${kills - 1}`), '');
        }
        if (e.type === 'metrics' && e.job === 'sink' && kills < gates.length && e.stats.rounds === gates[kills]! - 1) {
          kills++;
          process.kill(pid, 'SIGKILL');
        }
      },
    });
    const result = await handle.done;
    expect(result.summary.failure).toBeUndefined();
    expect(events.filter((e) => e.type === 'job-restarting').map((e) => (e as { job: string }).job)).toEqual(gates.map(() => 'join'));
    expect(sink).toEqual(['count 70000 wrong 0 dummies 0']);
  });

  it('refuses on_failure: restart on a source without seek(), and max_retries without on_failure: restart', async () => {
    const err = await loadNetwork(join(NET, 'unseekable.yaml')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MarveloErrors);
    const messages = (err as MarveloErrors).errors.map((e) => `${e.code} ${e.where?.line} ${e.message}`);
    expect(messages).toEqual([
      "MRV_CONFIG_RESTART 3 job 'source' is a source without seek(sqn): it cannot be restarted where its stream left off",
      "MRV_CONFIG_RESTART 4 job 'sink' has max_retries but no on_failure: restart, so it is never restarted",
    ]);
  });
});

describe('retries of the whole network', () => {
  it('max_retries runs the network again after a failed attempt: the record counts the attempts and says why', async () => {
    const runs = tempDir();
    const cwd = tempDir();
    const lines: string[] = [];
    const events: RunEvent[] = [];
    const result = await run(join(NET, 'retried.yaml'), {
      cwd,
      record: { dir: runs },
      onEvent: (e) => {
        events.push(e);
        if (e.type === 'log' && e.job === 'sink') lines.push(e.line);
      },
    });
    expect(result.exitCode).toBe(0);
    expect(result.summary.attempts).toBe(2);
    // the first attempt's sink stopped early (its count is printed too), the second saw everything
    expect(lines.at(-1)).toBe('count 1000 wrong 0 dummies 0');
    expect(events.find((e) => e.type === 'retrying')).toMatchObject({ attempt: 1, of: 2, delayMs: 10 });
    const { record, events: recorded } = onlyRunRecord(runs);
    expect(record).toMatchObject({ status: 'succeeded', attempts: 2 });
    expect(recorded.find((e) => e.type === 'retrying')?.['reason']).toMatch(/job 'flaky' failed: failing at 500 in the first attempt/);
  });
});
