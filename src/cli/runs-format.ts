/** `marvelo runs` and `marvelo runs show` output: tables for people, objects for --json. */
import type { RunRecord } from '../api/records/types.js';
import { formatBytes } from './format.js';

/** One run as `marvelo runs --json` prints it (absent facts are null). */
export interface RunRow {
  id: string;
  network: string | null;
  file: string;
  status: RunRecord['status'];
  reason: string | null;
  trigger: RunRecord['trigger'];
  acceptedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** From acceptance to the end (or to now, while it runs). */
  durationMs: number;
  nodes: string[];
}

export function runRow(r: RunRecord, now = Date.now()): RunRow {
  return {
    id: r.id,
    network: r.network.name ?? null,
    file: r.network.file,
    status: r.status,
    reason: r.reason ?? null,
    trigger: r.trigger,
    acceptedAt: r.acceptedAt,
    startedAt: r.startedAt ?? null,
    finishedAt: r.finishedAt ?? null,
    durationMs: (r.finishedAt ? Date.parse(r.finishedAt) : now) - Date.parse(r.acceptedAt),
    nodes: nodesOf(r),
  };
}

function nodesOf(r: RunRecord): string[] {
  return [...new Set(r.jobs.map((j) => j.node).filter((n): n is string => n !== undefined))];
}

/** `2026-12-04 13:35:12Z`, or with `ms` `2026-12-04 13:35:12.087Z`. */
function when(iso: string | undefined | null, ms = false): string {
  return iso ? `${iso.slice(0, 10)} ${iso.slice(11, ms ? 23 : 19)}Z` : '-';
}

export function formatDuration(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  const s = Math.round(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

function status(r: { status: string; reason: string | null | undefined }): string {
  return r.reason && r.reason !== 'Cancelled' ? `${r.status} (${r.reason})` : r.status;
}

export function formatRunList(rows: RunRow[]): string {
  if (rows.length === 0) return 'no runs';
  return table(
    ['id', 'network', 'status', 'started', 'duration', 'nodes'],
    rows.map((r) => [r.id, r.network ?? '-', status(r), when(r.startedAt ?? r.acceptedAt), formatDuration(r.durationMs) + (r.finishedAt ? '' : ' so far'), r.nodes.join(',') || '-']),
  ).join('\n');
}

export function formatRunShow(r: RunRecord, now = Date.now()): string {
  const row = runRow(r, now);
  const lines = [
    `run ${r.id}`,
    `  network   ${r.network.name ?? '-'} (${r.network.file}, sha256 ${r.network.sha256.slice(0, 12)})`,
    `  status    ${status(row)}`,
    `  trigger   ${r.trigger}, client pid ${r.client.pid} on ${r.client.host}`,
    `  accepted  ${when(r.acceptedAt, true)}`,
    `  started   ${when(r.startedAt, true)}`,
    `  finished  ${when(r.finishedAt, true)}   (${formatDuration(row.durationMs)}${r.finishedAt ? '' : ' so far'})`,
  ];
  if (r.failure) {
    lines.push(`  failure   ${r.failure.job ? `job '${r.failure.job}': ` : ''}${r.failure.code ? r.failure.code + ' ' : ''}${r.failure.message.split('\n')[0]}`);
    if (r.failure.hint) lines.push(`            hint: ${r.failure.hint}`);
  }
  if (r.jobs.length > 0) {
    const stats = new Map(r.summary?.jobs.map((j) => [j.job, j]));
    const why = new Map(r.placement?.jobs.map((j) => [j.job, j.why]));
    lines.push('', 'jobs:');
    lines.push(
      ...table(
        ['job', 'node', 'pid', 'state', 'exit', 'started', 'finished', 'rounds', 'cpu', 'rss', 'placed by'],
        r.jobs.map((j) => {
          const s = stats.get(j.job);
          return [
            j.job,
            j.node ?? '-',
            j.pid === undefined ? '-' : String(j.pid),
            j.state,
            j.exit === undefined ? '-' : (j.exit.signal ?? (j.exit.code === null ? 'lost' : String(j.exit.code))),
            when(j.startedAt, true),
            when(j.finishedAt, true),
            s ? String(s.rounds) : '-',
            s ? `${(s.cpuMs / 1000).toFixed(2)} s` : '-',
            s ? formatBytes(s.maxRss) : '-',
            why.get(j.job) ?? '-',
          ];
        }),
      ),
    );
  }
  const restarts = r.jobs.flatMap((j) => (j.restarts ?? []).map((x, i) => ({ job: j.job, n: i + 1, ...x })));
  if (restarts.length > 0 || (r.attempts ?? 1) > 1) {
    lines.push('', `restarts:${(r.attempts ?? 1) > 1 ? ` (the whole network ran ${r.attempts} times)` : ''}`);
    lines.push(
      ...table(
        ['job', '#', 'at', 'failed on', 'reason', 'runs again on', 'state'],
        restarts.map((x) => [x.job, String(x.n), when(x.at, true), x.from, x.reason, x.to ?? '-', x.stateLost ? 'lost' : 'kept']),
      ),
    );
    for (const x of restarts) lines.push(`  ${x.job} #${x.n}: ${x.message.split('\n')[0]}`);
  }
  if (r.summary && r.summary.pipes.length > 0) {
    const transport = new Map(r.placement?.pipes.map((p) => [p.pipe, p.transport]));
    lines.push('', 'pipes:');
    lines.push(
      ...table(
        ['pipe', 'route', 'transport', 'blocks', 'dropped', 'dummies', 'discarded'],
        r.summary.pipes.map((p) => [p.pipe, `${p.producer} -> ${p.consumer}`, transport.get(p.pipe) ?? '-', String(p.blocks), String(p.dropped), String(p.dummies), String(p.discarded)]),
      ),
    );
  }
  if (r.hooks && r.hooks.length > 0) {
    lines.push('', 'hooks (after the run; they never change its status):');
    lines.push(
      ...table(
        ['hook', 'status', 'reason', 'duration', 'command'],
        r.hooks.map((h) => [h.hook, h.status, h.reason ?? '-', `${(h.durationMs / 1000).toFixed(2)} s`, JSON.stringify(h.argv)]),
      ),
    );
  }
  return lines.join('\n');
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]) => ('  ' + r.map((c, i) => c.padEnd(widths[i]!)).join('  ')).trimEnd();
  return [fmt(header), ...rows.map(fmt)];
}
