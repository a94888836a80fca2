/**
 * Reads a V8 .cpuprofile (node --cpu-prof) and adds up self time per function, mapped back through
 * source maps to the original file (src/..., bench/..., a job's .ts), so a bundled worker's profile
 * names src/wire/frame-writer.ts rather than dist/chunk-XYZ.js.
 */
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface FunctionTime {
  /** `function (file:line)`, the original location when a source map has it. */
  name: string;
  selfMs: number;
  /** Share of the busy (non-idle) time, 0..1. */
  share: number;
}

export interface ProfileSummary {
  file: string;
  totalMs: number;
  idleMs: number;
  busyMs: number;
  top: FunctionTime[];
}

/** Self time per function of one profile, largest first. */
export function summarizeProfile(file: string, topN = 15, root = process.cwd()): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const selfUs = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!;
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const locate = locator(root);
  const byName = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;
  for (const node of profile.nodes) {
    const us = selfUs.get(node.id) ?? 0;
    if (us === 0) continue;
    totalUs += us;
    if (node.callFrame.functionName === '(idle)') idleUs += us;
    const name = locate(node.callFrame);
    byName.set(name, (byName.get(name) ?? 0) + us);
  }
  const busyUs = Math.max(1, totalUs - idleUs);
  const top = [...byName.entries()]
    .filter(([name]) => name !== '(idle)')
    .sort((a, b) => b[1] - a[1])
    .slice(0, topN)
    .map(([name, us]) => ({ name, selfMs: us / 1e3, share: us / busyUs }));
  return { file, totalMs: totalUs / 1e3, idleMs: idleUs / 1e3, busyMs: (totalUs - idleUs) / 1e3, top };
}

/** `function (file:line)` for a call frame, through the script's source map when it has one. */
function locator(root: string): (frame: CallFrame) => string {
  const maps = new Map<string, SourceMap | undefined>();
  const mapOf = (url: string) => {
    if (!maps.has(url)) maps.set(url, loadSourceMap(url));
    return maps.get(url);
  };
  return (frame) => {
    const fn = frame.functionName || '(anonymous)';
    if (frame.url === '') return fn;
    const entry = mapOf(frame.url)?.findEntry(frame.lineNumber, frame.columnNumber) as
      | { originalSource?: string; originalLine?: number }
      | undefined;
    if (entry?.originalSource !== undefined && entry.originalLine !== undefined) {
      return `${fn} (${shortPath(entry.originalSource, root)}:${entry.originalLine + 1})`;
    }
    return `${fn} (${shortPath(frame.url, root)}:${frame.lineNumber + 1})`;
  };
}

function loadSourceMap(url: string): SourceMap | undefined {
  if (!url.startsWith('file:')) return undefined;
  const file = fileURLToPath(url);
  try {
    if (existsSync(`${file}.map`)) {
      const payload = JSON.parse(readFileSync(`${file}.map`, 'utf8')) as SourceMapPayload & { sources: string[] };
      // sources are relative to the map's folder: make them absolute file URLs
      payload.sources = payload.sources.map((s) => new URL(s, url).href);
      return new SourceMap(payload);
    }
    const text = readFileSync(file, 'utf8');
    const inline = /\/\/# sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)\s*$/.exec(text);
    if (inline) return new SourceMap(JSON.parse(Buffer.from(inline[1]!, 'base64').toString('utf8')) as SourceMapPayload);
  } catch {
    // a missing or broken map: fall back to the generated location
  }
  return undefined;
}

function shortPath(source: string, root: string): string {
  const path = source.startsWith('file:') ? fileURLToPath(source) : source;
  const rel = relative(root, path);
  return rel.startsWith('..') ? path : rel;
}

/** Prints a summary as a small table. */
export function formatProfileSummary(s: ProfileSummary, title: string): string {
  const lines = [
    `${title}: ${s.busyMs.toFixed(0)} ms busy of ${s.totalMs.toFixed(0)} ms sampled (${((s.idleMs / Math.max(1, s.totalMs)) * 100).toFixed(0)}% idle)`,
    '   self ms   busy %  function (file:line)',
  ];
  for (const f of s.top) {
    lines.push(`${f.selfMs.toFixed(1).padStart(10)} ${(f.share * 100).toFixed(1).padStart(7)}%  ${f.name}`);
  }
  return lines.join('\n');
}
