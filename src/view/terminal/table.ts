/**
 * The live status of `marvelo run` on a terminal, as lines: a head line, then a row per job (node,
 * state, rounds/s, CPU %, RSS, fill of its input queues) and a row per pipe (blocks/s, MB/s, drops,
 * dummies, queue fill). Pure: a state in, lines out (no cursor movement); every line is shorter than
 * `columns`, and at most `rows` lines: a network too large for that shows its first jobs and pipes and
 * a line for the rest. Colour only when `color`.
 */
import type { LiveJobState } from '../../api/live-state.js';
import type { JobRow, PipeRow } from './rates.js';
import { compact, fit, fitName, mbPerS, memory, percent } from './units.js';

export interface StatusView {
  /** Ms since the workers started (or since the run began, before that). */
  elapsedMs: number;
  /** What the run does before its workers run (loading, uploads to nodes); empty once running. */
  setup: string[];
  /** false until the workers started. */
  running: boolean;
  jobs: JobRow[];
  pipes: PipeRow[];
}

export interface RenderOptions {
  /** The terminal's width (process.stderr.columns); default 80. */
  columns?: number;
  /** Lines at most (the terminal's height less one); default 24. */
  rows?: number;
  color?: boolean;
}

const STATE_COLOR: Record<LiveJobState, string> = { starting: '36', running: '32', finished: '34', failed: '31', restarting: '33' };

interface Column {
  head: string;
  width: number;
  right: boolean;
}

export function renderStatus(view: StatusView, opts: RenderOptions = {}): string[] {
  const columns = Math.max(20, opts.columns ?? 80);
  const rows = Math.max(4, opts.rows ?? 24);
  const color = opts.color ?? false;
  const paint = (code: string, text: string) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
  const max = columns - 1; // the last column stays free: a full line would wrap on some terminals
  const head = `marvelo ${(view.elapsedMs / 1000).toFixed(1)}s  ${view.running ? stateCounts(view.jobs) : 'setting up'}`;
  const lines: string[] = [paint('1', fit(head, max))];
  if (!view.running) {
    for (const s of view.setup.slice(-(rows - 1))) lines.push(fit(`  ${s}`, max));
    return lines;
  }

  // the job table: the name column takes what the others leave
  const jobCols: Column[] = [
    { head: 'node', width: 10, right: false },
    { head: 'state', width: 10, right: false },
    { head: 'rounds/s', width: 8, right: true },
    { head: 'cpu%', width: 5, right: true },
    { head: 'rss', width: 5, right: true },
    { head: 'in-q', width: 4, right: true },
  ];
  const pipeCols: Column[] = [
    { head: 'blocks/s', width: 8, right: true },
    { head: 'MB/s', width: 6, right: true },
    { head: 'blocks', width: 7, right: true },
    { head: 'drops', width: 6, right: true },
    { head: 'dummies', width: 7, right: true },
    { head: 'queue', width: 5, right: true },
  ];
  // a narrow terminal loses the node column first, then the queue columns
  const fitting = (cols: Column[], drop: string[]) => {
    let c = cols;
    for (const d of drop) if (nameWidth(c, max) < 6) c = c.filter((x) => x.head !== d);
    return c;
  };
  const jc = fitting(jobCols, ['node', 'in-q', 'rss']);
  const pc = fitting(pipeCols, ['blocks', 'queue', 'dummies']);
  const jw = Math.min(24, Math.max(4, nameWidth(jc, max)));
  const pw = Math.min(24, Math.max(4, nameWidth(pc, max)));

  // the rows left for jobs and pipes, shared by their counts
  const budget = rows - lines.length - 2; // the two header lines
  const [jobRows, pipeRows] = share(budget, view.jobs.length, view.pipes.length);

  lines.push(paint('2', row('job', jw, jc, jc.map((c) => c.head))));
  const jobCells = (j: JobRow) =>
    jc.map((c) => {
      switch (c.head) {
        case 'node':
          return j.node ?? '-';
        case 'state':
          return j.state;
        case 'rounds/s':
          return compact(j.roundsPerS);
        case 'cpu%':
          return j.cpuPct === undefined ? '-' : String(Math.round(j.cpuPct));
        case 'rss':
          return memory(j.rss);
        default:
          return percent(j.queueFill);
      }
    });
  for (const j of fold(view.jobs, jobRows)) {
    if ('more' in j) lines.push(fit(`  … ${j.more} more jobs: ${stateCounts(j.rest)}`, max));
    else {
      const text = row(j.job, jw, jc, jobCells(j));
      lines.push(color ? colourState(text, j.state, jw, jc) : text);
    }
  }
  if (view.pipes.length > 0) {
    lines.push(paint('2', row('pipe', pw, pc, pc.map((c) => c.head))));
    const pipeCells = (p: PipeRow) =>
      pc.map((c) => {
        switch (c.head) {
          case 'blocks/s':
            return compact(p.blocksPerS);
          case 'MB/s':
            return mbPerS(p.bytesPerS);
          case 'blocks':
            return compact(p.blocks);
          case 'drops':
            return compact(p.dropped);
          case 'dummies':
            return compact(p.dummies);
          default:
            return percent(p.queueFill);
        }
      });
    for (const p of fold(view.pipes, pipeRows)) {
      if ('more' in p) lines.push(fit(`  … ${p.more} more pipes, ${compact(p.rest.reduce((s, x) => s + x.dropped, 0))} drops`, max));
      else {
        const text = row(p.pipe, pw, pc, pipeCells(p));
        lines.push(color && p.dropped > 0 ? paint('33', text) : text);
      }
    }
  }
  return lines;
}

/** One summary line (off a terminal, `--progress`): the time, the job states, each pipe's rate. */
export function renderProgressLine(view: StatusView, columns = 200): string {
  if (!view.running) return fit(`[marvelo] ${(view.elapsedMs / 1000).toFixed(1)}s ${view.setup.at(-1) ?? 'starting'}`, columns - 1);
  const pipes = view.pipes.map((p) => `${p.pipe} ${compact(p.blocks)} (${compact(p.blocksPerS)}/s${p.dropped > 0 ? `, -${compact(p.dropped)}` : ''})`);
  return fit(`[marvelo] ${(view.elapsedMs / 1000).toFixed(1)}s ${stateCounts(view.jobs)}; ${pipes.join(', ')}`, columns - 1);
}

function nameWidth(cols: Column[], max: number): number {
  // 2 of indent, then a space before every column
  return max - 2 - cols.reduce((s, c) => s + c.width + 1, 0);
}

function row(name: string, nameW: number, cols: Column[], cells: string[]): string {
  const parts = cols.map((c, i) => {
    const v = fit(cells[i]!, c.width);
    return c.right ? v.padStart(c.width) : v.padEnd(c.width);
  });
  return `  ${fitName(name, nameW).padEnd(nameW)} ${parts.join(' ')}`.trimEnd();
}

/** The state cell of a job row in its colour (the text is laid out first: colour codes take no columns). */
function colourState(text: string, state: LiveJobState, nameW: number, cols: Column[]): string {
  let at = 2 + nameW + 1;
  for (const c of cols) {
    if (c.head === 'state') {
      const cell = text.slice(at, at + c.width);
      return `${text.slice(0, at)}\x1b[${STATE_COLOR[state]}m${cell}\x1b[0m${text.slice(at + c.width)}`;
    }
    at += c.width + 1;
  }
  return text;
}

function stateCounts(jobs: { state: LiveJobState }[]): string {
  const counts = new Map<LiveJobState, number>();
  for (const j of jobs) counts.set(j.state, (counts.get(j.state) ?? 0) + 1);
  const order: LiveJobState[] = ['running', 'starting', 'restarting', 'failed', 'finished'];
  return order.filter((s) => counts.has(s)).map((s) => `${counts.get(s)} ${s}`).join(', ') || `${jobs.length} jobs`;
}

/** `n` rows for `a` jobs and `b` pipes: as many of each as fit, the rest shared in proportion. */
function share(n: number, a: number, b: number): [number, number] {
  if (a + b <= n) return [a, b];
  const forA = Math.max(2, Math.min(a, Math.round((n * a) / (a + b))));
  return [forA, Math.max(2, n - forA)];
}

/** The first items that fit in `n` rows; when some do not, the last row says how many more. */
function fold<T>(items: T[], n: number): (T | { more: number; rest: T[] })[] {
  if (items.length <= n) return items;
  const shown = Math.max(1, n - 1);
  return [...items.slice(0, shown), { more: items.length - shown, rest: items.slice(shown) }];
}
