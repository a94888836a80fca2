import { describe, expect, it } from 'vitest';
import { LiveState, queuedAt } from '../../src/api/live-state.js';
import type { Network } from '../../src/config/types.js';
import type { PipeCounters, WorkerStats } from '../../src/control/messages.js';
import { testJobSpec, testPipeSpec } from '../helpers/specs.js';

function counters(o: Partial<PipeCounters> = {}): PipeCounters {
  return { blocks: 0, bytes: 0, dropped: 0, dummies: 0, stale: 0, incomplete: 0, overflow: 0, skipped: 0, replayed: 0, ...o };
}
function stats(o: Partial<WorkerStats> = {}): WorkerStats {
  return { inputs: {}, outputs: {}, rounds: 0, refused: 0, rss: 100, maxRss: 100, cpuMs: 0, ...o };
}

const network: Network = {
  name: 'n',
  file: '/n.yaml',
  dir: '/',
  jobs: [testJobSpec({ name: 'src', outputs: ['a'] }), testJobSpec({ name: 'sink', inputs: ['a'] })],
  pipes: { a: testPipeSpec({ name: 'a', producer: 'src', consumer: 'sink', maxQueue: 8, blockCount: 2 }) },
  nodes: [],
  maxRetries: 0,
  retryBackoffMs: 0,
};

describe('live state of a run', () => {
  it('job states from the events; counters of a restarted job add up; the queue from the consumer\'s counters', () => {
    let now = 1000;
    const live = new LiveState(() => now);
    live.apply({ type: 'loaded', network });
    expect(live.jobs().map((j) => j.state)).toEqual(['starting', 'starting']);
    live.apply({ type: 'started', workers: [{ job: 'src', node: 'local', pid: 1, listen: [] }, { job: 'sink', node: 'local', pid: 2, listen: [] }] });
    now = 3000;
    live.apply({ type: 'metrics', job: 'src', stats: stats({ rounds: 10, cpuMs: 50, outputs: { a: counters({ blocks: 10, dropped: 1 }) } }) });
    live.apply({ type: 'metrics', job: 'sink', stats: stats({ rounds: 3, cpuMs: 20, inputs: { a: counters({ blocks: 9, bytes: 90, dummies: 1 }) } }) });
    expect(live.elapsedMs()).toBe(2000);
    // 9 received + 1 dummy, 3 rounds of 2 taken: 4 wait
    expect(live.pipes()).toEqual([{ pipe: 'a', producer: 'src', consumer: 'sink', blocks: 9, bytes: 90, dropped: 1, dummies: 1, queued: 4, maxQueue: 8 }]);
    live.apply({ type: 'job-restarting', job: 'sink', node: 'local', attempt: 1, reason: 'boom', code: undefined, delayMs: 10, stateLost: true });
    expect(live.jobs()[1]).toMatchObject({ state: 'restarting', rounds: 3, cpuMs: 20, rss: 0 });
    live.apply({ type: 'job-restarted', job: 'sink', node: 'n2', why: 'again', attempt: 1, pid: 3 });
    live.apply({ type: 'metrics', job: 'sink', stats: stats({ rounds: 1, cpuMs: 5, inputs: { a: counters({ blocks: 2, bytes: 20 }) } }) });
    expect(live.jobs()[1]).toEqual({ job: 'sink', node: 'n2', state: 'running', rounds: 4, cpuMs: 25, rss: 100 });
    expect(live.pipes()[0]).toMatchObject({ blocks: 11, bytes: 110 });
    live.apply({ type: 'job-failed', job: 'src', failure: { message: 'x', stack: undefined, code: undefined, phase: 'run' } });
    live.apply({ type: 'job-finished', job: 'sink', stats: stats({ rounds: 2, inputs: { a: counters({ blocks: 4 }) } }) });
    expect(live.jobs().map((j) => j.state)).toEqual(['failed', 'finished']);
  });

  it('queued: none for an input without counters; never below 0', () => {
    expect(queuedAt(undefined, 'a', 1)).toBeUndefined();
    expect(queuedAt(stats(), 'a', 1)).toBeUndefined();
    expect(queuedAt(stats({ rounds: 5, inputs: { a: counters({ blocks: 4 }) } }), 'a', 1)).toBe(0);
  });
});
