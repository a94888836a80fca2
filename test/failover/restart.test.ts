import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startRun, type RunEvent } from '../../src/api/run.js';

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
 * Runs a network through the API, kills `victim`'s worker with SIGKILL once the sink has run `after`
 * rounds, and returns what happened: the events, the sink's lines and every worker pid seen.
 */
async function runAndKill(network: string, victim: string, after: number) {
  const events: RunEvent[] = [];
  const lines: string[] = [];
  const pids = new Set<number>();
  let killed = false;
  const handle = startRun(join(NET, network), {
    cwd: NET,
    metricsMs: 50,
    onEvent: (e) => {
      events.push(e);
      if (e.type === 'log' && e.job === 'sink') lines.push(e.line);
      if (e.type === 'started') for (const w of e.workers) if (w.pid !== undefined) pids.add(w.pid);
      if (e.type === 'job-restarted' && e.pid !== undefined) pids.add(e.pid);
      if (e.type === 'metrics' && e.job === 'sink' && e.stats.rounds >= after && !killed) {
        killed = true;
        const started = events.find((x) => x.type === 'started');
        const pid = started?.type === 'started' ? started.workers.find((w) => w.job === victim)?.pid : undefined;
        process.kill(pid!, 'SIGKILL');
      }
    },
  });
  const result = await handle.done;
  return { result, events, lines, pids, killed };
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
});
