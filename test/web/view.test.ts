import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { processesTagged, ROOT, startCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp-dir.js';
import { ARTIFACTS, NO_CHROMIUM, openBrowser, viewAddress } from './browser.js';

const LIVE = join(ROOT, 'test', 'fixtures', 'web', 'live.yaml');
const JOBS = ['count', 'wobble', 'console', 'scale', 'show'];
const PIPES = ['values', 'checked', 'factor', 'scaled'];
const VIEW = /\[marvelo\] view: (http:\/\/127\.0\.0\.1:\d+\/[A-Za-z0-9_-]{43}\/)\n/;
/** A printed value of at least 7 digits: the counter scaled by the factor 1000000 sent from the page. */
const SCALED = /^show\s*\| \d{7,}$/m;

/** The page's DOM as the functions run in the browser see it (the tests are typed without the DOM library). */
interface PageElement {
  textContent: string | null;
}
declare const document: { querySelector(selector: string): PageElement | null; querySelectorAll(selector: string): Iterable<PageElement>; activeElement: { id: string } | null };

if (NO_CHROMIUM) {
  console.log(`test/web/view.test.ts: ${NO_CHROMIUM}`);
  it.skip(NO_CHROMIUM, () => {});
}

describe.skipIf(NO_CHROMIUM !== undefined)('web view in a real browser', () => {
  it('marvelo run --ui: every job and pipe, changing rates, a failure, the console box; the token guards every request', async () => {
    const dir = tempDir();
    const env = { MARVELO_RUNTIME_DIR: join(dir, 'runtime'), MARVELO_RUNS_DIR: join(dir, 'runs') };
    const run = startCli(['run', LIVE, '--ui'], { cwd: dir, env });
    const [, printed] = await run.waitFor(VIEW, 'stderr');
    const { url, origin, token } = viewAddress(printed!);

    // Without the right token: a bare 404, whatever the path or method.
    const other = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    for (const [path, method] of [['/', 'GET'], ['/state.json', 'GET'], [`/${other}/`, 'GET'], [`/${other}/state.json`, 'GET'], [`/${other}/events`, 'GET'], [`/${other}/console`, 'POST'], ['/assets/app.js', 'GET']] as const) {
      const res = await fetch(origin + path, { method, ...(method === 'POST' ? { body: '{"line":"5"}' } : {}) });
      expect([path, res.status, await res.text()]).toEqual([path, 404, '']);
    }

    const browser = await openBrowser();
    const page = await browser.newPage();
    await page.setViewport({ width: 1200, height: 900 });
    await page.goto(url);

    // Every job and pipe: in the tables, and in the graph's SVG.
    await page.waitForFunction(
      (jobs: string[], pipes: string[]) =>
        jobs.every((j) => document.querySelector(`#jobs tr[data-job="${j}"]`) && document.querySelector(`#graph svg g.job[data-job="${j}"]`)) &&
        pipes.every((p) => document.querySelector(`#pipes tr[data-pipe="${p}"]`) && document.querySelector(`#graph svg g.pipe[data-pipe="${p}"]`)),
      {},
      JOBS,
      PIPES,
    );

    // The rates change while it runs: the blocks of a pipe, then its rate, as two samples see them.
    const blocksOf = () => page.$eval('#pipes tr[data-pipe="values"] .blocks', (e) => Number(e.textContent));
    const first = await blocksOf();
    await page.waitForFunction((n: number) => Number(document.querySelector('#pipes tr[data-pipe="values"] .blocks')?.textContent) > n, {}, first);
    await page.waitForFunction(() => Number(document.querySelector('#pipes tr[data-pipe="values"] .rate')?.textContent) > 0);
    await page.waitForSelector('#chart polyline[data-pipe="values"]');
    expect(await page.$eval('#graph g.pipe[data-pipe="values"] .pipe-label', (e) => e.textContent)).toMatch(/\/s/);

    // The failure of wobble (it fails at value 100, then runs again) is on the page.
    await page.waitForFunction(() => [...document.querySelectorAll('#events li.error')].some((li) => /wobble/.test(li.textContent ?? '') && /failing at 100 on purpose/.test(li.textContent ?? '')));
    await page.waitForFunction(() => [...document.querySelectorAll('#events li')].some((li) => /job wobble runs again/.test(li.textContent ?? '')));

    // Accessible: the events are a polite live region, the console box has its label, Tab reaches it.
    expect(await page.$eval('#events', (e) => e.getAttribute('aria-live'))).toBe('polite');
    await page.waitForSelector('#console-section:not([hidden])');
    expect(await page.$eval('label[for="console-line"]', (e) => e.textContent)).toBe('Send a line to console');
    const focused: string[] = [];
    for (let i = 0; i < 12 && !focused.includes('console-line'); i++) {
      await page.keyboard.press('Tab');
      focused.push(await page.evaluate(() => document.activeElement?.id ?? ''));
    }
    expect(focused).toContain('console-line');

    // A line typed into the console box reaches the console job: show prints scaled values.
    await page.focus('#console-line');
    await page.keyboard.type('1000000');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => /sent to console/.test(document.querySelector('#console-result')?.textContent ?? ''));
    await run.waitFor(SCALED, 'stdout');
    // and the log tail of show shows them too
    await page.waitForFunction(() => /\d{7,}/.test(document.querySelector('#logs details[data-job="show"] pre')?.textContent ?? ''));
    await page.screenshot({ path: join(ARTIFACTS, 'live.png'), fullPage: true });

    run.proc.kill('SIGINT');
    const r = await run.done;
    expect(r.code).toBe(130);
    await page.waitForFunction(() => /interrupted/.test(document.querySelector('#status')?.textContent ?? ''));
    await page.waitForFunction(() => document.querySelector('#jobs tr[data-job="count"] .state')?.textContent === 'stopped');
    expect(r.stderr.match(/\[marvelo\] view: /g)).toHaveLength(1);
    expect(processesTagged(r.tag)).toEqual([]);

    // Afterwards, marvelo ui shows the recorded run.
    const ui = startCli(['ui', '--runs-dir', env.MARVELO_RUNS_DIR], { cwd: dir, env });
    const [, uiPrinted] = await ui.waitFor(VIEW, 'stderr');
    const past = viewAddress(uiPrinted!);
    expect((await fetch(`${past.origin}/${other}/runs.json`)).status).toBe(404);
    await page.goto(past.url);
    await page.waitForSelector('#runs a');
    await Promise.all([page.waitForNavigation(), page.click('#runs a')]);
    await page.waitForFunction(
      (jobs: string[]) => jobs.every((j) => document.querySelector(`#jobs tr[data-job="${j}"]`)) && document.querySelector('#graph svg g.pipe[data-pipe="values"]'),
      {},
      JOBS,
    );
    await page.waitForFunction(() => [...document.querySelectorAll('#events li.error')].some((li) => /wobble/.test(li.textContent ?? '')));
    expect(await page.$eval('#status', (e) => e.textContent)).toBe('cancelled');
    await page.screenshot({ path: join(ARTIFACTS, 'recorded.png'), fullPage: true });
    ui.proc.kill('SIGINT');
    expect((await ui.done).code).toBe(0);
  });
});
