import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, startRun, type RunEvent, type RunOptions } from '../../src/api/run.js';
import { loadNetwork, validateNetwork } from '../../src/config/load.js';
import { place } from '../../src/plan/place.js';
import { tempDir } from '../helpers/temp-dir.js';

const NET = join(import.meta.dirname, '..', 'fixtures', 'replicas');

/** Runs a fixture network; returns the result and the lines each job printed. */
async function runNet(file: string, opts: RunOptions = {}) {
  const lines = new Map<string, string[]>();
  const events: RunEvent[] = [];
  const result = await run(join(NET, file), {
    cwd: NET,
    ...opts,
    onEvent: (e) => {
      events.push(e);
      if (e.type === 'log') lines.set(e.job, [...(lines.get(e.job) ?? []), e.line]);
    },
  });
  return { result, lines: (job: string) => lines.get(job) ?? [], events };
}

const withReplicas = (job: string, n: number, extra: Record<string, unknown> = {}): RunOptions => ({
  overrides: { set: { [`jobs.${job}.replicas`]: n, ...extra } },
});

describe('replicas of a connector', () => {
  it('expand into a splitter, N replicas and a merger, joined by internal pipes named after their ends', async () => {
    const { network } = await loadNetwork(join(NET, 'pair.yaml'));
    expect(network.jobs.map((j) => `${j.name}:${j.kind}`)).toEqual([
      'source:script', 'double#split:split', 'double#0:script', 'double#1:script', 'double#2:script', 'double#merge:merge', 'join:script', 'sink:script',
    ]);
    expect(network.pipes['x1']).toMatchObject({ producer: 'source', consumer: 'double#split' });
    expect(network.pipes['x1@double#2']).toMatchObject({ producer: 'double#split', consumer: 'double#2', drop: 'block' });
    expect(network.pipes['d@double#0']).toMatchObject({ producer: 'double#0', consumer: 'double#merge' });
    expect(network.pipes['d']).toMatchObject({ producer: 'double#merge', consumer: 'join' });
    expect(network.jobs.find((j) => j.name === 'double#1')!.env).toMatchObject({ MARVELO_REPLICA_INDEX: '1', MARVELO_REPLICA_COUNT: '3' });
  });

  it('give downstream exactly the stream of one worker: values, order and heads, with block_count 3 and two inputs', async () => {
    const one = await runNet('weigh.yaml');
    expect(one.result.summary.failure).toBeUndefined();
    const reference = one.lines('record');
    expect(reference).toHaveLength(1000);
    expect(reference[0]).toBe(`${(1 + 2 + 3) * 1} head ${0x40 | 2 * 0}`);
    for (const n of [2, 3]) {
      const replicated = await runNet('weigh.yaml', withReplicas('weigh', n));
      expect(replicated.result.summary.failure).toBeUndefined();
      expect(replicated.lines('record')).toEqual(reference);
      const rounds = replicated.result.summary.jobs.filter((j) => j.job.startsWith('weigh#') && /#\d$/.test(j.job)).map((j) => j.rounds);
      expect(rounds).toHaveLength(n);
      expect(rounds.reduce((a, b) => a + b, 0)).toBe(1000);
    }
  });

  it('keep the SQNs of one worker: a join of the merged stream with the direct one sees no gap (20 000 blocks)', async () => {
    const { result, lines } = await runNet('pair.yaml');
    expect(result.summary.failure).toBeUndefined();
    expect(lines('sink')).toEqual(['count 20000 wrong 0 dummies 0']);
  });

  it('order: any passes every result on once, numbered densely', async () => {
    const { result, lines } = await runNet('weigh.yaml', withReplicas('weigh', 3, { 'jobs.weigh.order': 'any' }));
    expect(result.summary.failure).toBeUndefined();
    const reference = (await runNet('weigh.yaml')).lines('record');
    expect([...lines('record')].sort()).toEqual([...reference].sort());
  });

  it('tell each replica its index and count (this.replica, this.replicas, MARVELO_REPLICA_INDEX)', async () => {
    const { lines } = await runNet('who.yaml');
    expect(lines('record').map((l) => JSON.parse(l.split(' head ')[0]!))).toEqual(
      [1, 2, 3, 4, 5, 6].map((x, i) => ({ x: 2 * x, replica: i % 3, replicas: 3, env: String(i % 3) })),
    );
  });

  it('order without replicas is refused at its line', async () => {
    const result = await validateNetwork(join(NET, 'weigh.yaml'), { overrides: { set: { 'jobs.weigh.order': 'any' } } });
    expect(result.ok).toBe(false);
    expect(result.errors[0]!.message).toContain("job 'weigh' has order: any but no replicas");
    expect(result.errors[0]!.hint).toContain('replicas: 2');
  });
});

describe('replicated sources and sinks', () => {
  it('a source partitioned by this.replica is interleaved back in turns: 1..10 000 in order', async () => {
    const { result, lines } = await runNet('source.yaml');
    expect(result.summary.failure).toBeUndefined();
    expect(lines('sink')).toEqual(['count 10000 wrong 0 dummies 0']);
  });

  it('a replicated sink gets every n-th round on each replica', async () => {
    const dir = tempDir();
    const { result } = await runNet('sink.yaml', { overrides: { set: { 'jobs.sink.params.dir': dir } } });
    expect(result.summary.failure).toBeUndefined();
    const part = (r: number) => readFileSync(join(dir, `part-${r}.txt`), 'utf8').trim().split('\n').map(Number);
    expect(part(0)).toEqual(Array.from({ length: 500 }, (_, i) => 2 * i + 1));
    expect(part(1)).toEqual(Array.from({ length: 500 }, (_, i) => 2 * i + 2));
  });
});

describe('a failing replica', () => {
  it('with on_failure: stop ends the run, naming the replica', async () => {
    const { result } = await runNet('failing.yaml');
    expect(result.summary.failure?.job).toBe('double#1');
    expect(result.summary.failure?.message).toContain('replica 1 fails at 2002 on purpose');
  });

  it('with on_failure: restart is restarted alone, and the stream stays exact', async () => {
    const { result, lines, events } = await runNet('failing.yaml', { overrides: { set: { 'jobs.double.on_failure': 'restart', 'jobs.double.retry_backoff': 0 } } });
    expect(result.summary.failure).toBeUndefined();
    expect(events.filter((e) => e.type === 'job-restarted').map((e) => (e as { job: string }).job)).toEqual(['double#1']);
    expect(lines('sink')).toEqual(['count 5000 wrong 0 dummies 0']);
  });

  it('killed with SIGKILL mid-stream (on_failure: restart), loses and repeats nothing', async () => {
    let killed = false;
    const current = new Map<string, number>();
    const sink: string[] = [];
    const handle = startRun(join(NET, 'pair.yaml'), {
      cwd: NET,
      metricsMs: 50,
      overrides: { set: { 'jobs.source.params.limit': 400_000, 'jobs.double.on_failure': 'restart', 'jobs.double.retry_backoff': 0 } },
      onEvent: (e) => {
        if (e.type === 'log' && e.job === 'sink') sink.push(e.line);
        if (e.type === 'started') for (const w of e.workers) if (w.pid !== undefined) current.set(w.job, w.pid);
        if (e.type === 'metrics' && e.job === 'sink' && !killed && e.stats.rounds >= 50_000) {
          killed = true;
          process.kill(current.get('double#2')!, 'SIGKILL');
        }
      },
    });
    const result = await handle.done;
    expect(killed).toBe(true);
    expect(result.summary.failure).toBeUndefined();
    expect(sink).toEqual(['count 400000 wrong 0 dummies 0']);
  });
});

describe('placement of replicas', () => {
  it('spreads the replicas over the nodes of their groups before doubling up', async () => {
    const { network } = await loadNetwork(join(NET, 'pair.yaml'));
    const nodes = ['n1', 'n2', 'n3'].map((name, i) => ({
      name, host: `10.0.0.${i + 1}`, port: 22, user: undefined, identity: undefined, knownHosts: '/dev/null', groups: [], capacity: {}, root: '~/m', nodeBinary: 'node', dataHost: `10.0.0.${i + 1}`, where: network.jobs[0]!.where,
    }));
    const plan = place({ ...network, nodes });
    const replicas = ['double#0', 'double#1', 'double#2'].map((j) => plan.nodeOf.get(j));
    expect(new Set(replicas).size).toBe(3);
    expect(plan.jobs.find((j) => j.job === 'double#1')!.why).toContain('fewest replicas of double');
  });
});
