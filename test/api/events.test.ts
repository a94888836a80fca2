import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startRun, type RunEvent } from '../../src/api/run.js';
import { fixture } from '../helpers/cli.js';

const FAILOVER = join(import.meta.dirname, '..', 'fixtures', 'failover');

async function collect(events: AsyncIterable<RunEvent>): Promise<RunEvent[]> {
  const out: RunEvent[] = [];
  for await (const e of events) out.push(e);
  return out;
}

describe('RunHandle.events() and cancel()', () => {
  it("iterates the run's state events as they happen, as its record keeps them; an iterator opened after the end gets them all", async () => {
    const handle = startRun(join(FAILOVER, 'fails-once.yaml'), { cwd: FAILOVER });
    const [live, result] = await Promise.all([collect(handle.events()), handle.done]);
    expect(result.exitCode).toBe(0);
    const types = live.map((e) => e.type);
    expect(types[0]).toBe('planned');
    expect(types).toEqual(expect.arrayContaining(['started', 'job-restarting', 'job-restarted', 'job-finished', 'job-exited']));
    expect(types.indexOf('job-restarting')).toBeLessThan(types.indexOf('job-restarted'));
    expect(types).not.toContain('log');
    expect(types).not.toContain('metrics');
    expect(await collect(handle.events())).toEqual(live);
  });

  it('cancel() stops an endless run: interrupted, and the iteration ends', async () => {
    const handle = startRun(fixture('endless.yaml'));
    const seen: string[] = [];
    for await (const e of handle.events()) {
      seen.push(e.type);
      if (e.type === 'started') handle.cancel();
    }
    const result = await handle.done;
    expect(seen).toContain('started');
    expect([result.exitCode, result.summary.status]).toEqual([130, 'interrupted']);
  });
});
