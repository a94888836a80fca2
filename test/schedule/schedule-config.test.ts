import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateNetwork } from '../../src/config/load.js';
import { FIXTURES, processesTagged, runCli, startCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp-dir.js';
import { networkCopy } from '../records/network-copy.js';

/** chain3 with `lines` appended (a schedule: block). */
function withSchedule(lines: string): string {
  const net = networkCopy('chain3.yaml');
  writeFileSync(net.file, `${readFileSync(net.file, 'utf8')}${lines}`);
  return net.file;
}

describe('schedule - the schedule: key of the network file', () => {
  it('resolves every key: times as instants, durations in ms, defaults UTC and forbid', async () => {
    const file = withSchedule('schedule:\n  cron: "20 16 * * 1-5"\n  timezone: Europe/Berlin\n  starts: "2026-01-01T00:00:00+01:00"\n  ends: 2026-02-01T00:00:00Z\n  concurrency: replace\n  starting_deadline: 5m\n');
    const result = await validateNetwork(file, { inspect: false });
    expect(result.errors).toEqual([]);
    expect(result.network!.schedule).toEqual({
      cron: '20 16 * * 1-5', timezone: 'Europe/Berlin', startsAt: Date.parse('2025-12-31T23:00:00Z'), endsAt: Date.parse('2026-02-01T00:00:00Z'), concurrency: 'replace', startingDeadlineMs: 300_000,
    });
    const plain = await validateNetwork(withSchedule('schedule: { cron: "@hourly" }\n'), { inspect: false });
    expect(plain.network!.schedule).toEqual({ cron: '@hourly', timezone: 'UTC', concurrency: 'forbid' });
  });

  it('a bad cron, time zone, time or deadline is a located MRV_CONFIG_SCHEDULE error with a hint', async () => {
    const file = withSchedule('schedule:\n  cron: "0 0 L * *"\n  timezone: Mars/Olympus\n  starts: "2026-01-01"\n  ends: "2025-01-01T00:00:00Z"\n  starting_deadline: 0\n');
    const lineOf = (key: string) => readFileSync(file, 'utf8').split('\n').findIndex((l) => l.trimStart().startsWith(`${key}:`)) + 1;
    const { errors } = await validateNetwork(file, { inspect: false });
    expect(errors.map((e) => [e.code, e.where?.line, e.message.split(':')[0]])).toEqual([
      ['MRV_CONFIG_SCHEDULE', lineOf('cron'), 'schedule cron "0 0 L * *"'],
      ['MRV_CONFIG_SCHEDULE', lineOf('timezone'), 'schedule timezone'],
      ['MRV_CONFIG_SCHEDULE', lineOf('starts'), 'schedule starts "2026-01-01" is not a date and time with its offset'],
      ['MRV_CONFIG_SCHEDULE', lineOf('starting_deadline'), 'schedule starting_deadline 0 is refused'],
    ]);
    expect(errors.every((e) => e.hint !== undefined)).toBe(true);
    const range = await validateNetwork(withSchedule('schedule: { cron: "61 * * * *", ends: "2025-01-01T00:00:00Z", starts: "2026-01-01T00:00:00Z" }\n'), { inspect: false });
    expect(range.errors.map((e) => e.message)).toEqual([expect.stringContaining('minute'), 'schedule ends is not after starts: nothing would ever fire']);
    const unknown = await validateNetwork(withSchedule('schedule: { cron: "* * * * *", every: 5m }\n'), { inspect: false });
    expect(unknown.errors.map((e) => e.code)).toEqual(['MRV_CONFIG_SCHEMA']);
  });

  it('CLI: pause and resume write the state file next to the runs; a network without schedule: is refused', async () => {
    const dir = tempDir();
    const file = withSchedule('schedule: { cron: "0 * * * *" }\n');
    const env = { MARVELO_RUNS_DIR: join(dir, 'runs') };
    const state = join(dir, 'schedule', 'chain3.json');
    const paused = await runCli(['schedule', 'pause', file], { env });
    expect(paused.code).toBe(0);
    expect(JSON.parse(readFileSync(state, 'utf8'))).toMatchObject({ marvelo: 'schedule', version: 1, network: file, paused: true });
    expect((await runCli(['schedule', 'resume', file], { env })).code).toBe(0);
    expect(JSON.parse(readFileSync(state, 'utf8'))).toMatchObject({ paused: false });
    const none = await runCli(['schedule', join(FIXTURES, 'chain3.yaml')], { env });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('MRV_CONFIG_SCHEDULE');
    expect(none.stderr).not.toContain('    at ');
  });

  it('CLI: marvelo schedule waits for the next fire and Ctrl-C stops it (exit 130)', async () => {
    const file = withSchedule('schedule: { cron: "0 0 1 1 *", timezone: Europe/Berlin }\n');
    const cli = startCli(['schedule', file], { env: { MARVELO_RUNS_DIR: join(tempDir(), 'runs') } });
    await cli.waitFor(/next fire at \d{4}-12-31T23:00:00\.000Z/, 'stderr');
    cli.proc.kill('SIGINT');
    const r = await cli.done;
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('[marvelo] schedule stopped');
    expect(processesTagged(r.tag)).toEqual([]);
  });
});
