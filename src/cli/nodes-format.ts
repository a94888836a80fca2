/** `marvelo nodes` output: a table for people, an array of objects for --json. */
import type { NodeProbe } from '../launch/ssh/probe.js';

/** One node as `marvelo nodes --json` prints it (absent facts are null). */
export interface NodeReport {
  node: string;
  host: string;
  port: number;
  user: string;
  usable: boolean;
  reachable: boolean | null;
  auth: NodeProbe['auth'];
  hostKey: NodeProbe['hostKey'];
  platform: string | null;
  arch: string | null;
  /** The node's own Node.js version, if any (even one too old to use). */
  nodeVersion: string | null;
  /** `own`: its Node runs the workers; `will ship`: the client sends its own; `unusable`. */
  runtime: 'own' | 'will ship' | 'unusable' | null;
  cores: number | null;
  memoryBytes: number | null;
  diskFreeBytes: number | null;
  cacheBytes: number | null;
  home: string | null;
  root: string | null;
  rttMs: number | null;
  error: { code: string; message: string; hint: string | null } | null;
}

export function nodeReport(p: NodeProbe): NodeReport {
  const f = p.facts;
  const runtime = f === undefined ? null : f.runtime.kind === 'own' ? 'own' : f.runtime.kind === 'ship' ? 'will ship' : 'unusable';
  return {
    node: p.node,
    host: p.host,
    port: p.port,
    user: p.user,
    usable: p.usable,
    reachable: p.reachable ?? null,
    auth: p.auth,
    hostKey: p.hostKey,
    platform: f?.platform ?? null,
    arch: f?.arch ?? null,
    nodeVersion: f?.nodeVersion ?? null,
    runtime,
    cores: f?.cores ?? null,
    memoryBytes: f?.memoryBytes ?? null,
    diskFreeBytes: f?.diskFreeBytes ?? null,
    cacheBytes: f?.cacheBytes ?? null,
    home: f?.home ?? null,
    root: f?.root ?? null,
    rttMs: f === undefined ? null : Math.round(f.rttMs * 10) / 10,
    error: p.error ? { code: p.error.code, message: p.error.message, hint: p.error.hint ?? null } : null,
  };
}

const HEADER = ['node', 'host', 'reachable', 'auth', 'host key', 'os/arch', 'node.js', 'cores', 'memory', 'free disk', 'cache', 'rtt'];

export function nodesTable(reports: readonly NodeReport[]): string[] {
  const rows = reports.map((r) => [
    r.node,
    `${r.user}@${r.host}:${r.port}`,
    r.reachable === null ? '?' : r.reachable ? 'yes' : 'no',
    r.auth === 'not tried' ? '-' : r.auth,
    r.hostKey === 'not checked' ? '-' : r.hostKey,
    r.platform === null ? '-' : `${r.platform}/${r.arch}`,
    r.runtime === null ? '-' : r.runtime === 'own' ? r.nodeVersion! : r.runtime === 'will ship' ? 'will ship' : `unusable${r.nodeVersion ? ` (${r.nodeVersion})` : ''}`,
    r.cores === null ? '-' : String(r.cores),
    bytes(r.memoryBytes),
    bytes(r.diskFreeBytes),
    bytes(r.cacheBytes),
    r.rttMs === null ? '-' : `${Math.round(r.rttMs)} ms`,
  ]);
  const widths = HEADER.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const numeric = (i: number) => i >= 7;
  const fmt = (row: string[]) => row.map((c, i) => (numeric(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [fmt(HEADER), ...rows.map(fmt)];
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** 1.5 GiB; `-` when unknown. */
export function bytes(n: number | null): string {
  if (n === null) return '-';
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${UNITS[unit]}`;
}
