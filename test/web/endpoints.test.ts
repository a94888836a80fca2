import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, processesTagged, ROOT, runCli, startCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp-dir.js';
import { viewAddress } from './browser.js';

const LIVE = join(ROOT, 'test', 'fixtures', 'web', 'live.yaml');
const VIEW = /\[marvelo\] view: (http:\/\/127\.0\.0\.1:\d+\/[A-Za-z0-9_-]{43}\/)\n/;

/** Reads Server-Sent Events frames from a stream until `enough` says so. */
async function readEvents(url: string, enough: (events: { event: string; data: unknown }[]) => boolean): Promise<{ event: string; data: unknown }[]> {
  const controller = new AbortController();
  const res = await fetch(url, { signal: controller.signal });
  expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = '';
  const events: { event: string; data: unknown }[] = [];
  while (!enough(events)) {
    const { value, done } = await reader.read();
    if (done) break;
    text += value;
    let end: number;
    while ((end = text.indexOf('\n\n')) >= 0) {
      const frame = text.slice(0, end);
      text = text.slice(end + 2);
      const event = /^event: (.*)$/m.exec(frame)?.[1];
      const data = /^data: (.*)$/m.exec(frame)?.[1];
      if (event !== undefined && data !== undefined) events.push({ event, data: JSON.parse(data) });
    }
  }
  controller.abort();
  return events;
}

describe('web view over plain HTTP', () => {
  it('one event stream per page: a snapshot, then batched updates; the console endpoint checks what it gets', async () => {
    const dir = tempDir();
    const run = startCli(['run', LIVE, '--ui', '-q'], { cwd: dir, env: { MARVELO_RUNTIME_DIR: join(dir, 'runtime') } });
    const [, printed] = await run.waitFor(VIEW, 'stderr');
    const { url, origin, token } = viewAddress(printed!);

    const events = await readEvents(url + 'events', (e) => e.some((x) => x.event === 'update' && (x.data as { samples?: unknown[] }).samples !== undefined));
    expect(events[0]!.event).toBe('snapshot');
    expect(events[0]!.data).toMatchObject({ mode: 'live' });
    // the address is printed before the network loads: its shape comes in the snapshot or in an update
    const shapes = events.map((x) => x.data as { network?: string; pipes?: { name: string; producer: string; consumer: string }[] }).filter((d) => d.pipes !== undefined && d.pipes.length > 0);
    expect(shapes.at(-1)).toMatchObject({ network: 'web-live', pipes: expect.arrayContaining([expect.objectContaining({ name: 'values', producer: 'count', consumer: 'wobble' })]) });
    const sample = (events.find((x) => x.event === 'update' && (x.data as { samples?: unknown[] }).samples)!.data as { samples: { t: number; pipes: Record<string, unknown>; jobs: Record<string, unknown> }[] }).samples[0]!;
    expect(Object.keys(sample.pipes).sort()).toEqual(['checked', 'factor', 'scaled', 'values']);
    expect(Object.keys(sample.jobs).sort()).toEqual(['console', 'count', 'scale', 'show', 'wobble']);

    const state = (await (await fetch(url + 'state.json')).json()) as { consoles: string[]; jobs: { name: string }[] };
    expect(state.consoles).toEqual(['console']);

    const post = (body: string) => fetch(url + 'console', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
    expect((await post('not json')).status).toBe(400);
    expect((await post('{"line": 5}')).status).toBe(400);
    expect((await post('x'.repeat(2 * 1024 * 1024))).status).toBe(413);
    const sent = await post('{"line": "1000000"}');
    expect([sent.status, await sent.json()]).toEqual([200, { sent: ['console'] }]);

    // the page, its assets, and the address without its last slash
    const page = await fetch(url);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(await page.text()).toContain(`<base href="/${token}/">`);
    expect((await fetch(url + 'assets/app.js')).status).toBe(200);
    expect((await fetch(url + 'assets/../../etc/passwd')).status).toBe(404);
    expect((await fetch(url + 'assets/nothing.js')).status).toBe(404);
    const bare = await fetch(`${origin}/${token}`, { redirect: 'manual' });
    expect([bare.status, bare.headers.get('location')]).toEqual([308, `/${token}/`]);

    run.proc.kill('SIGINT');
    const r = await run.done;
    expect(r.code).toBe(130);
    expect(processesTagged(r.tag)).toEqual([]);
  });

  it('a network without console jobs: the console endpoint says so', async () => {
    const run = startCli(['run', fixture('endless.yaml'), '--ui', '-q']);
    const [, printed] = await run.waitFor(VIEW, 'stderr');
    await readEvents(printed! + 'events', (e) => e.some((x) => x.event === 'update' && (x.data as { status?: string }).status === 'running'));
    const res = await fetch(printed! + 'console', { method: 'POST', body: '{"line":"1"}' });
    expect([res.status, await res.json()]).toEqual([409, { error: 'this run has no console jobs' }]);
    run.proc.kill('SIGINT');
    expect((await run.done).code).toBe(130);
  });

  it('bad ports and a missing runs folder are coded errors', async () => {
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    const port = (taken.address() as AddressInfo).port;
    try {
      const r = await runCli(['run', fixture('endless.yaml'), '--ui', '--ui-port', String(port)]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`MRV_VIEW_LISTEN the web view cannot listen on 127\\.0\\.0\\.1:${port}: EADDRINUSE\\n  hint: `));
      expect(r.stderr).not.toMatch(/\n\s+at /);
    } finally {
      taken.close();
    }
    const bad = await runCli(['run', fixture('endless.yaml'), '--ui', '--ui-port', 'eighty']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/MRV_CLI_OPTION 'eighty' is not a port\n  hint: /);
    const dir = tempDir();
    const none = await runCli(['ui'], { cwd: dir, env: { MARVELO_RUNS_DIR: '' } });
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/MRV_RUN_RECORD no runs folder here/);
  });
});
