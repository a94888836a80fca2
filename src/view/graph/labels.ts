/** The texts of the graph's boxes and arrows, shared by every format. */
import { basename, extname } from 'node:path';
import type { CodecSpec, JobSpec } from '../../config/types.js';
import { LOCAL_NODE } from '../../plan/place.js';
import type { GraphPipe } from './model.js';

export function codecText(codec: CodecSpec): string {
  switch (codec.kind) {
    case 'msgpack':
    case 'json':
      return codec.kind;
    case 'bytes':
      return `bytes/${codec.blockSize}`;
    case 'typed':
      return `${codec.type}[${codec.length}]`;
    case 'custom':
      return codec.exportName === 'default' ? basename(codec.module, extname(codec.module)) : codec.exportName;
  }
}

export function jobKindText(job: Pick<JobSpec, 'kind' | 'module' | 'builtin' | 'executable' | 'python'>): string {
  if (job.python !== undefined) return `python ${job.python.className}`;
  if (job.kind === 'builtin') return `builtin:${job.builtin ?? '?'}`;
  if (job.kind === 'executable') return `exec ${job.executable === undefined ? '?' : basename(job.executable.command)}`;
  if (job.kind === 'split') return 'splitter (replicas)';
  if (job.kind === 'merge') return 'merger (replicas)';
  if (job.module === undefined) return 'script';
  const file = basename(job.module.file);
  return job.module.exportName === 'default' ? file : `${file}#${job.module.exportName}`;
}

/** `p101 · msgpack · ×5` */
export function pipeTitleLine(p: GraphPipe): string {
  return `${p.name} · ${p.codec} · ×${p.blockCount}`;
}

/** The pipe's policies: `drop newest`, `optional (buffer 4, drops oldest)`; '' for a plain lossless pipe. */
export function pipePolicyLine(p: GraphPipe): string {
  const parts: string[] = [];
  if (p.drop !== 'block') parts.push(`drop ${p.drop}`);
  if (p.optional !== undefined) parts.push(`optional (buffer ${p.optional.buffer}, drops ${p.optional.drop})`);
  return parts.join(' · ');
}

/** A run's final counts: `250 blocks · 3 dropped · 2 dummies` (dropped and dummies only when non-zero). */
export function pipeCountsLine(p: GraphPipe): string {
  const c = p.counts;
  if (c === undefined) return '';
  const parts = [`${c.blocks} block${c.blocks === 1 ? '' : 's'}`];
  if (c.dropped > 0) parts.push(`${c.dropped} dropped`);
  if (c.dummies > 0) parts.push(`${c.dummies} dumm${c.dummies === 1 ? 'y' : 'ies'}`);
  if (c.partial) parts.push('partial');
  return parts.join(' · ');
}

/** Every line of a pipe's label, empty ones left out. */
export function pipeLabelLines(p: GraphPipe): string[] {
  return [pipeTitleLine(p), pipePolicyLine(p), pipeCountsLine(p)].filter((l) => l !== '');
}

/** A node group's title: "local" is the client's own machine. */
export function nodeLabel(node: string): string {
  return node === LOCAL_NODE ? `${LOCAL_NODE} (this machine)` : node;
}
