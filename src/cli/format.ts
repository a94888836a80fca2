import type { RunSummary } from '../api/summary.js';

const MB = 1024 * 1024;

/** A byte count for people: `812 B`, `4.2 KB`, `96.1 MB`. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < MB) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / MB).toFixed(1)} MB`;
}

export function formatSummary(s: RunSummary): string {
  const lines: string[] = [];
  const secs = (s.wallMs / 1000).toFixed(2);
  lines.push(`[marvelo] ${s.network}: ${s.status} in ${secs} s`);
  const anyPartial = s.pipes.some((p) => p.partial);
  const rows = s.pipes.map((p) => {
    const row = [p.pipe, `${p.producer} -> ${p.consumer}`, String(p.blocks), String(p.dropped), String(p.dummies), String(p.discarded)];
    if (anyPartial) row.push(p.partial ? 'partial' : '');
    return row;
  });
  if (rows.length > 0) {
    const header = ['pipe', 'route', 'blocks', 'dropped', 'dummies', 'discarded'];
    lines.push(...table(anyPartial ? [...header, ''] : header, rows));
  }
  const partialJobs = s.jobs.filter((j) => j.partial).map((j) => j.job);
  if (partialJobs.length > 0) {
    lines.push(`  partial: the counts of ${partialJobs.join(', ')} are the last seen, not final (the worker did not report them)`);
  }
  const rss = Math.max(0, ...s.jobs.map((j) => j.maxRss)) / MB;
  const cpuSeconds = s.jobs.reduce((sum, j) => sum + j.cpuMs, 0) / 1000;
  lines.push(
    `  jobs: ${s.jobs.length}, peak worker RSS ${rss.toFixed(0)} MB, worker CPU ${cpuSeconds.toFixed(2)} s${s.refused ? `, refused connections: ${s.refused}` : ''}`,
  );
  return lines.join('\n');
}

export function formatFailure(f: NonNullable<RunSummary['failure']>): string {
  const head = `error: job '${f.job}' failed${f.phase === 'run' ? '' : ` during ${f.phase}`}: ${f.code && f.code.startsWith('MRV_') ? f.code + ' ' : ''}${f.message}`;
  const hint = f.hint ? `\n  hint: ${f.hint}` : '';
  const stack = jobStack(f.stack);
  return stack ? `${head}${hint}\n${stack}` : head + hint;
}

/**
 * The job's own frames: our worker's frames and Node's own (node:events, node:internal/...) are noise to
 * the user. On a node the worker runs from the cache (`<root>/cache/<hash>.mjs`); a job's frames never
 * point there, because its bundle's source map maps them to the job's own files.
 */
function jobStack(stack: string | undefined): string {
  if (!stack) return '';
  return stack
    .split('\n')
    .slice(1)
    .filter((l) => l.trim().startsWith('at ') && !RUNTIME_FRAME.test(l))
    .join('\n');
}
const RUNTIME_FRAME = /\(node:|at node:|[/\\]dist[/\\](worker|chunk-)|[/\\]src[/\\](worker|jobs[/\\]script-job)|[/\\]cache[/\\][0-9a-f]{32}\.mjs:/;

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const last = header.length - 1;
  const fmt = (r: string[]) =>
    ('  ' + r.map((c, i) => (i < 2 || (i === last && header[i] === '') ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')).trimEnd();
  return [fmt(header), ...rows.map(fmt)];
}
