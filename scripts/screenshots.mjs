/**
 * Makes the README's pictures: docs/img/web-view.png (the page of `marvelo run --ui`) and
 * docs/img/terminal-status.png (the live table of `marvelo run` on an 80-column terminal), from a real
 * run of a small network. Needs a built dist/ (npm run build), Debian's chromium (/usr/bin/chromium, or
 * MARVELO_CHROMIUM) and `script` (util-linux) for the terminal.
 *
 *   node scripts/screenshots.mjs
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const OUT = join(ROOT, 'docs', 'img');
const CHROMIUM = process.env.MARVELO_CHROMIUM ?? '/usr/bin/chromium';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const dir = mkdtempSync(join(tmpdir(), 'marvelo-screenshots-'));
const jobs = join(ROOT, 'jobs');
// A network to watch: a paced counter through a forwarder, scaled by the console's factor.
const network = join(dir, 'watch.yaml');
writeFileSync(
  network,
  `name: watch
jobs:
  - { name: count, uses: ${join(jobs, 'count.ts')}, params: { delay: 10 }, outputs: [values] }
  - { name: fwd, uses: ${join(jobs, 'forward.ts')}, inputs: [values], outputs: [passed] }
  - { name: console, uses: builtin:console, outputs: [factor] }
  - { name: scale, uses: ${join(jobs, 'scale.ts')}, inputs: [passed, factor], outputs: [scaled] }
  - { name: show, uses: ${join(jobs, 'print.ts')}, inputs: [scaled] }
pipes:
  factor: { optional: { default: 1 } }
`,
);
// The same without its console: on a terminal a console takes the keyboard, and the live table gives way to it.
const quiet = join(dir, 'watch-table.yaml');
writeFileSync(
  quiet,
  `name: watch
jobs:
  - { name: count, uses: ${join(jobs, 'count.ts')}, params: { delay: 10 }, outputs: [values] }
  - { name: fwd, uses: ${join(jobs, 'forward.ts')}, inputs: [values], outputs: [passed] }
  - { name: show, uses: ${join(jobs, 'print.ts')}, inputs: [passed] }
`,
);
const env = { ...process.env, MARVELO_RUNS_DIR: join(dir, 'runs'), MARVELO_RUNTIME_DIR: join(dir, 'runtime'), NO_COLOR: '1' };
mkdirSync(OUT, { recursive: true });

/** Starts the CLI; resolves its output so far on demand, and its end. */
function start(argv) {
  const proc = spawn(argv[0], argv.slice(1), { cwd: dir, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let text = '';
  proc.stdout.setEncoding('utf8').on('data', (d) => (text += d));
  proc.stderr.setEncoding('utf8').on('data', (d) => (text += d));
  const done = new Promise((resolve) => proc.on('close', resolve));
  return { proc, output: () => text, done };
}

async function until(get, what, ms = 20_000) {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(50)) {
    const v = get();
    if (v) return v;
  }
  throw new Error(`no ${what} within ${ms} ms`);
}

const browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
try {
  // The web view: a few seconds of a run, a factor sent from the console box on the way.
  const run = start([process.execPath, CLI, 'run', network, '--ui', '-q']);
  const url = await until(() => run.output().match(/\[marvelo\] view: (\S+)/)?.[1], 'view address');
  const page = await browser.newPage();
  await page.setViewport({ width: 1100, height: 900 });
  await page.goto(url);
  await sleep(3000);
  await page.type('#console-line', '3');
  await page.keyboard.press('Enter');
  await sleep(3000);
  await page.evaluate(() => document.querySelector('#logs details')?.setAttribute('open', ''));
  await page.screenshot({ path: join(OUT, 'web-view.png'), fullPage: true });
  run.proc.kill('SIGINT');
  await run.done;

  // The terminal: the live table on an 80x24 pseudo-terminal, its last frame drawn as text.
  const tty = start(['script', '-qfec', `stty cols 80 rows 24; ${process.execPath} ${CLI} run ${quiet} -q`, '/dev/null']);
  await sleep(4000);
  const frames = tty.output().split(/\r\x1b\[\d+A\x1b\[J/);
  const frame = frames[frames.length - 1].replace(/\r/g, '').replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').trimEnd();
  tty.proc.kill('SIGINT');
  await tty.done;
  const term = await browser.newPage();
  await term.setViewport({ width: 760, height: 200, deviceScaleFactor: 1 });
  await term.setContent(
    `<body style="margin:0;background:#1e1e1e"><pre id="t" style="display:inline-block;margin:0;padding:12px 16px;color:#e8e8e8;background:#1e1e1e;font:14px/1.3 'DejaVu Sans Mono',monospace"></pre></body>`,
  );
  await term.$eval('#t', (e, text) => (e.textContent = `$ marvelo run watch.yaml -q\n${text}`), frame);
  const box = await term.$('#t');
  await box.screenshot({ path: join(OUT, 'terminal-status.png') });
  console.log(`wrote ${join('docs', 'img', 'web-view.png')} and ${join('docs', 'img', 'terminal-status.png')}`);
} finally {
  await browser.close();
  rmSync(dir, { recursive: true, force: true });
}
