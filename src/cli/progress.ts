/**
 * The live status of `marvelo run`. On a terminal: the table of src/view/terminal redrawn in place at
 * most four times a second on stderr; `clear()` takes it away before a line is printed, and the next
 * redraw brings it back (a terminal resized narrower between two redraws may keep a stray line: the
 * lines drawn are counted at the old width). Off a terminal with `--progress`: one summary line every
 * few seconds.
 */
import { LiveState } from '../api/live-state.js';
import type { RunEvent } from '../api/run.js';
import { LOCAL_NODE } from '../plan/place.js';
import { RateWindow } from '../view/terminal/rates.js';
import { renderProgressLine, renderStatus, type StatusView } from '../view/terminal/table.js';
import { formatBytes } from './format.js';

const REDRAW_MS = 250;
const LINE_EVERY_MS = 5000;

export interface ProgressOptions {
  /** true: the table redrawn in place (a terminal); false: a summary line every few seconds. */
  live: boolean;
  /** Colour codes in the table (off with NO_COLOR). */
  color: boolean;
  /** Off a terminal: ms between summary lines (default 5 s). */
  everyMs?: number;
}

/** NO_COLOR (any value but empty) turns colour off, as no-color.org asks. */
export function colorWanted(env: NodeJS.ProcessEnv = process.env): boolean {
  return env['NO_COLOR'] === undefined || env['NO_COLOR'] === '';
}

export class Progress {
  private readonly state = new LiveState();
  private readonly rates = new RateWindow();
  private readonly began = Date.now();
  private view: StatusView | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Lines of the table now on the terminal. */
  private shown = 0;
  private stopped = false;
  /** Remote nodes of the plan, and what was shipped to each. */
  private readonly uploads = new Map<string, string | undefined>();
  private loaded = false;
  /** Modules bundled so far, and their bytes. */
  private bundled = { modules: 0, bytes: 0 };

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly opts: ProgressOptions,
  ) {
    this.timer = setInterval(() => this.tick(), opts.live ? REDRAW_MS : (opts.everyMs ?? LINE_EVERY_MS));
    this.timer.unref();
  }

  /** Every event of the run. */
  event(e: RunEvent): void {
    if (this.stopped) return;
    this.state.apply(e);
    if (e.type === 'loaded') this.loaded = true;
    if (e.type === 'bundled') this.bundled = { modules: this.bundled.modules + 1, bytes: this.bundled.bytes + e.bytes };
    if (e.type === 'planned') {
      for (const n of new Set(e.plan.jobs.map((j) => j.node))) if (n !== LOCAL_NODE) this.uploads.set(n, undefined);
    }
    if (e.type === 'shipped') {
      const files = (n: number) => `${n} file${n === 1 ? '' : 's'}`;
      const text = e.files === 0 ? `node ${e.node}: uploaded nothing (${files(e.cached)} cached)` : `node ${e.node}: uploaded ${files(e.files)} (${formatBytes(e.bytes)}), ${e.cached} cached`;
      this.uploads.set(e.node, text);
    }
  }

  /** Takes the table off the terminal (before a line is printed). */
  clear(): void {
    if (this.shown > 0) this.out.write(`\r\x1b[${this.shown}A\x1b[J`);
    this.shown = 0;
  }

  /**
   * The table may come back (lines were printed): at the next redraw, within REDRAW_MS. Never at once:
   * a job that prints all the time (or a terminal slow to take it) would get a table per line.
   */
  draw(): void {}

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.clear();
  }

  private tick(): void {
    this.view = this.snapshot();
    if (this.opts.live) this.paint();
    else if (this.state.running) this.out.write(renderProgressLine(this.view, this.out.columns || 200) + '\n');
  }

  private snapshot(): StatusView {
    const s = this.state;
    if (!s.running) {
      const b = this.bundled;
      const modules = b.modules === 0 ? '' : `: ${b.modules} module${b.modules === 1 ? '' : 's'} bundled (${formatBytes(b.bytes)})`;
      const setup = [`${this.loaded ? 'network loaded' : 'loading the network'}${modules}`];
      for (const [node, done] of this.uploads) setup.push(done ?? `node ${node}: uploading`);
      return { elapsedMs: Date.now() - this.began, running: false, setup, jobs: [], pipes: [] };
    }
    const stats = s.stats();
    const rows = this.rates.push({ t: s.elapsedMs(), jobs: s.jobs(stats), pipes: s.pipes(stats) });
    return { elapsedMs: s.elapsedMs(), running: true, setup: [], ...rows };
  }

  /** The table in one write: what was shown is replaced. */
  private paint(): void {
    if (this.stopped) return;
    if (this.view === undefined) return;
    const lines = renderStatus(this.view, { columns: this.out.columns || 80, rows: (this.out.rows || 25) - 1, color: this.opts.color });
    const erase = this.shown > 0 ? `\r\x1b[${this.shown}A\x1b[J` : '';
    this.out.write(erase + lines.map((l) => l + '\n').join(''));
    this.shown = lines.length;
  }
}
