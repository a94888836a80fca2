import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startRun, type RunEvent, type RunOptions } from '../../src/api/run.js';
import { validateNetwork } from '../../src/config/load.js';
import { readEvents } from '../../src/api/records/store.js';
import type { RunRecord } from '../../src/api/records/types.js';
import { ALL_RECORDING, hookedNetwork } from './hooked-network.js';

/** Runs `file` from the API with a record next to it; `onStarted` runs once every worker is up. */
async function runRecorded(net: { file: string; dir: string; runs: string }, onStarted?: (h: ReturnType<typeof startRun>) => void, more: RunOptions = {}) {
  const events: RunEvent[] = [];
  const handle = startRun(net.file, {
    cwd: net.dir,
    record: { dir: net.runs },
    onEvent: (e) => {
      events.push(e);
      if (e.type === 'started') onStarted?.(handle);
    },
    ...more,
  });
  const result = await handle.done;
  const dir = handle.recordDir!;
  const record = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as RunRecord;
  return { handle, result, events, record, recorded: readEvents(dir) };
}

describe('hooks - which run when', () => {
  it('a run that succeeded runs on_success, then on_finish, with the run in their environment, in the network file\'s folder', async () => {
    const net = hookedNetwork('chain3.yaml', ALL_RECORDING);
    const { handle, result, events, record } = await runRecorded(net);
    expect(result.exitCode).toBe(0);
    expect(net.order()).toEqual(['on_success', 'on_finish']);
    const seen = net.seen('on_success')!;
    expect(seen.env).toMatchObject({
      MARVELO_RUN_ID: handle.runId,
      MARVELO_RUN_STATUS: 'succeeded',
      MARVELO_RUN_RECORD: handle.recordDir,
      MARVELO_NETWORK: net.file,
      MARVELO_HOOK: 'on_success',
    });
    expect(seen.cwd).toBe(net.dir);
    expect(seen.args).toBe('success');
    expect(net.seen('on_finish')!.args).toBe('finish 2');
    // the record is final when the hooks run
    expect(seen.record?.status).toBe('succeeded');
    expect(result.hooks.map((h) => [h.hook, h.status, h.exitCode])).toEqual([
      ['on_success', 'succeeded', 0],
      ['on_finish', 'succeeded', 0],
    ]);
    expect(result.hooks[0]!.output).toEqual(['hook on_success saw succeeded']);
    expect(record.hooks?.map((h) => h.hook)).toEqual(['on_success', 'on_finish']);
    expect(events.filter((e) => e.type === 'hook-log').map((e) => e.type === 'hook-log' && `${e.hook}: ${e.line}`)).toEqual([
      'on_success: hook on_success saw succeeded',
      'on_finish: hook on_finish saw succeeded',
    ]);
  });

  it('a failed run runs on_failure, then on_finish; the events end with the hooks after finished', async () => {
    const net = hookedNetwork('throws.yaml', ALL_RECORDING);
    const { result, record, recorded } = await runRecorded(net);
    expect([result.exitCode, record.status]).toEqual([1, 'failed']);
    expect(net.order()).toEqual(['on_failure', 'on_finish']);
    expect(net.seen('on_failure')!.env['MARVELO_RUN_STATUS']).toBe('failed');
    const tail = recorded.slice(-3);
    expect(tail.map((e) => [e.type, e['hook']])).toEqual([
      ['finished', undefined],
      ['hook', 'on_failure'],
      ['hook', 'on_finish'],
    ]);
    expect(tail[1]).toMatchObject({ argv: ['./record.sh', 'failure'], status: 'succeeded', exitCode: 0, signal: null });
    expect(tail[1]!['durationMs']).toEqual(expect.any(Number));
  });

  it('a timed-out run runs on_failure with status timed_out', async () => {
    const net = hookedNetwork('timeout-run.yaml', ALL_RECORDING);
    const { result } = await runRecorded(net);
    expect(result.exitCode).toBe(124);
    expect(net.order()).toEqual(['on_failure', 'on_finish']);
    expect(net.seen('on_finish')!.env['MARVELO_RUN_STATUS']).toBe('timed_out');
  });

  it('a cancelled run runs only on_finish', async () => {
    const net = hookedNetwork('endless.yaml', ALL_RECORDING);
    const { result } = await runRecorded(net, (h) => h.interrupt());
    expect(result.exitCode).toBe(130);
    expect(net.order()).toEqual(['on_finish']);
    expect(net.seen('on_finish')!.env['MARVELO_RUN_STATUS']).toBe('cancelled');
  });

  it('an unrecorded run gives no MARVELO_RUN_RECORD, not even the client\'s own', async () => {
    const net = hookedNetwork('chain3.yaml', '  on_finish: [./record.sh]');
    process.env['MARVELO_RUN_RECORD'] = '/somewhere/else';
    try {
      const result = await startRun(net.file, { cwd: net.dir }).done;
      expect(result.hooks.map((h) => h.status)).toEqual(['succeeded']);
    } finally {
      delete process.env['MARVELO_RUN_RECORD'];
    }
    expect(net.seen('on_finish')!.env['MARVELO_RUN_RECORD']).toBeUndefined();
  });
});

describe('hooks - failures are recorded, never the run\'s', () => {
  it('a hook that exits 3 is a notice and a record entry; the run stays succeeded with exit code 0, and on_finish still runs', async () => {
    const net = hookedNetwork('chain3.yaml', '  on_success: [sh, -c, "echo broken >&2; exit 3"]\n  on_finish: [./record.sh]');
    const { result, events, record } = await runRecorded(net);
    expect([result.ok, result.exitCode, record.status]).toEqual([true, 0, 'succeeded']);
    expect(result.hooks[0]).toMatchObject({ hook: 'on_success', status: 'failed', reason: 'JobExit(3)', exitCode: 3, signal: null, output: ['broken'] });
    expect(net.order()).toEqual(['on_finish']);
    const notices = events.flatMap((e) => (e.type === 'notice' ? [e.text] : []));
    expect(notices).toEqual([expect.stringMatching(/^MRV_RUN_HOOK hook on_success \["sh","-c","echo broken >&2; exit 3"\] exited with code 3; the run stays succeeded; its last lines:\n {2}broken$/)]);
    expect(record.hooks?.[0]).toMatchObject({ status: 'failed', reason: 'JobExit(3)' });
  });

  it('a hook that does not exist is NotFound; one killed by a signal says which', async () => {
    const net = hookedNetwork('chain3.yaml', '  on_success: [./no-such-hook.sh]\n  on_finish: [sh, -c, "kill -USR1 $$"]');
    const { result, events, record } = await runRecorded(net);
    expect([result.exitCode, record.status]).toEqual([0, 'succeeded']);
    expect(result.hooks.map((h) => [h.hook, h.status, h.reason, h.signal])).toEqual([
      ['on_success', 'failed', 'NotFound', null],
      ['on_finish', 'failed', 'JobExit(SIGUSR1)', 'SIGUSR1'],
    ]);
    const notices = events.flatMap((e) => (e.type === 'notice' ? [e.text] : []));
    expect(notices[0]).toMatch(/hook on_success \["\.\/no-such-hook\.sh"\] was not found/);
    expect(notices[1]).toMatch(/hook on_finish .* was killed by SIGUSR1/);
  });

  it('a hook over its timeout is stopped with its process group: timed_out, DeadlineExceeded', async () => {
    const net = hookedNetwork('chain3.yaml', '  timeout: 300ms\n  on_finish: [sh, -c, "sleep 60 & wait"]');
    const { result, record } = await runRecorded(net);
    expect([result.exitCode, record.status]).toEqual([0, 'succeeded']);
    expect(result.hooks[0]).toMatchObject({ status: 'timed_out', reason: 'DeadlineExceeded', signal: 'SIGTERM' });
  });
});

describe('hooks - in the network file', () => {
  it('a shell string is refused at its line, with the list form as hint', async () => {
    const net = hookedNetwork('chain3.yaml', '  on_failure: "notify-send failed"');
    const r = await validateNetwork(net.file);
    expect(r.ok).toBe(false);
    const line = readFileSync(net.file, 'utf8').split('\n').findIndex((l) => l.includes('notify-send')) + 1;
    expect(r.errors.map((e) => [e.code, e.where?.line, e.message])).toEqual([['MRV_CONFIG_SCHEMA', line, `'on_failure' must be a list, not the string "notify-send failed"`]]);
    expect(r.errors[0]!.hint).toContain('[sh, -c, "echo done >> runs.log"]');
  });

  it('resolves the hooks and their timeout (default 5m); a bad timeout is located', async () => {
    const net = hookedNetwork('chain3.yaml', '  on_success: [./a.sh, 1, two]');
    const r = await validateNetwork(net.file);
    expect(r.network?.hooks).toEqual({ commands: { on_success: ['./a.sh', '1', 'two'] }, timeoutMs: 300_000 });
    const bad = hookedNetwork('chain3.yaml', '  timeout: 0\n  on_success: [./a.sh]');
    const b = await validateNetwork(bad.file);
    expect(b.errors.map((e) => [e.code, e.message])).toEqual([['MRV_CONFIG_SCHEMA', 'the hooks timeout 0 is refused: a timeout of 0 would end it at once']]);
  });
});
