import type { ScenarioResult } from '../scenarios/types.js';
import { TARGETS } from '../targets.js';

/** The short extra column: what a scenario has beyond value/ceiling/ratio that a reader needs. */
function extraText(r: ScenarioResult): string {
  if (typeof r.error === 'string') return `ERROR: ${r.error.split('\n')[0]}`;
  if (typeof r.skipped === 'string') return `SKIPPED: ${r.skipped}`;
  switch (r.name) {
    case 'latency-hop':
      return parts(
        `p99 ${fmt(r.p99)} us (ceiling ${fmt(r.ceilingP99)}), max ${fmt(r.max)} us (ceiling ${fmt(r.ceilingMax)})`,
        r.nodeFloor ? `Node floor p50 ${fmt((r.nodeFloor as { p50: number }).p50)} us` : '',
        r.cFloor ? `C floor p50 ${fmt((r.cFloor as { p50: number }).p50)} us, p99 ${fmt((r.cFloor as { p99: number }).p99)} us` : '',
      );
    case 'rss':
      return `slope ${fmt(r.slopeMBPerMin)} MB/min (Theil-Sen) over the last ${Number(r.durationS) / 2} s, ~${fmt(r.approxBlocksPerSecond)} blocks/s`;
    case 'startup':
      return `wall ${fmt(r.wallMs)} ms (ceiling ${fmt(r.ceilingWallMs)} ms)`;
    case 'failover':
      return `worker ${fmt(r.workerMs)} ms, node ${fmt(r.nodeMs)} ms, link ${fmt(r.linkMs)} ms (medians, fault to the client's event naming the job); ${r.failoverMs === null || r.failoverMs === undefined ? 'failover: not yet' : `failover ${fmt(r.failoverMs)} ms, ${fmt(r.blocksLost)} blocks lost`}`;
    case 'ssh-startup':
      return `cold ${fmt(r.coldMs)} ms (wall ${fmt(r.coldWallMs)} ms), warm wall ${fmt(r.wallMs)} ms; no ceiling`;
    case 'bytes-64k':
    case 'float32-frames':
      return parts(`raw socket ${fmt(r.rawSocket)} MB/s (raw ratio ${fmt(r.rawRatio)})`, spread(r), cpuText(r));
    case 'join-demo':
      return parts(`${fmt(r.sourceBlocksPerSecondEach)} blocks/s from each source`, spread(r), cpuText(r));
    default:
      return parts(spread(r), cpuText(r));
  }
}

/** CPU ns per block over all processes, runtime vs ceiling, and their ratio (ceiling / runtime). */
function cpuText(r: ScenarioResult): string {
  const cpu = r.cpuNsPerBlock as { runtime: Record<string, number>; ceiling: Record<string, number> } | undefined;
  const rt = cpu?.runtime.total;
  const ce = cpu?.ceiling.total;
  if (rt === undefined || ce === undefined || rt === 0) return '';
  return `CPU ${fmt(rt)} ns/block (ceiling ${fmt(ce)}, ratio ${(ce / rt).toFixed(2)})`;
}

function parts(...texts: string[]): string {
  return texts.filter((t) => t !== '').join('; ');
}

function spread(r: ScenarioResult): string {
  const runs = r.runs as number[] | undefined;
  if (!runs || runs.length < 2) return '';
  return `runs ${fmt(Math.min(...runs))}..${fmt(Math.max(...runs))}`;
}

function fmt(x: unknown): string {
  if (typeof x !== 'number' || !Number.isFinite(x)) return '-';
  if (Math.abs(x) >= 1e6) return `${(x / 1e6).toFixed(2)}M`;
  if (Math.abs(x) >= 1e4) return `${(x / 1e3).toFixed(0)}k`;
  if (Math.abs(x) >= 100) return x.toFixed(0);
  return x.toFixed(x === Math.trunc(x) ? 0 : 2);
}

function metText(r: ScenarioResult): string {
  const t = TARGETS[r.name];
  if (t === undefined) return '';
  if (typeof r.skipped === 'string') return `${t.text} (skipped)`;
  const met = t.met(r);
  return `${t.text} ${met === undefined ? '?' : met ? 'yes' : 'NO'}`;
}

/** The results as an aligned text table (also valid Markdown). */
export function formatTable(results: readonly ScenarioResult[]): string {
  const header = ['scenario', 'value', 'unit', 'ceiling', 'ratio', 'target met', 'extra'];
  const rows = results.map((r) => [r.name, fmt(r.value), r.unit, fmt(r.ceiling), r.ratio === null ? '-' : r.ratio.toFixed(2), metText(r), extraText(r)]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}
