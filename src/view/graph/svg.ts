/**
 * The graph as a self-contained SVG (no fonts, scripts or links outside it), laid out by ELK. Every job
 * is `<g class="job" id="job-NAME" data-job="NAME">`, every pipe `<g class="pipe" id="pipe-NAME"
 * data-pipe="NAME">` with a `<text class="pipe-label">`, every node group `<g class="node" data-node="NODE">`;
 * each has a <title> for screen readers and tooltips. Colours are set as attributes (a page may restyle the classes).
 */
import { nodeLabel, pipeCountsLine, pipePolicyLine, pipeTitleLine } from './labels.js';
import { FONT, layoutGraph, type Box, type Point } from './layout.js';
import type { GraphJob, GraphModel, GraphPipe } from './model.js';
import { xml } from './xml.js';
import { LOCAL_NODE } from '../../plan/place.js';

const COLOURS = {
  background: '#ffffff',
  text: '#1b1f24',
  muted: '#4b5563',
  jobFill: '#eef3fb',
  jobStroke: '#2f5597',
  nodeFill: '#f6f7f9',
  nodeStroke: '#6b7280',
  pipe: '#374151',
  policy: '#b42318',
  counts: '#1a5e20',
} as const;
const FONT_FAMILY = 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace';
const ARROW_ID = 'marvelo-arrow';

export async function toSvg(model: GraphModel): Promise<string> {
  const layout = await layoutGraph(model);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${layout.height}" viewBox="0 0 ${layout.width} ${layout.height}" role="img" aria-labelledby="graph-title" font-family="${FONT_FAMILY}" class="marvelo-graph">`,
    `<title id="graph-title">${xml(`network ${model.name}: ${model.jobs.length} jobs, ${model.pipes.length} pipes`)}</title>`,
    `<defs><marker id="${ARROW_ID}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${COLOURS.pipe}"/></marker></defs>`,
    `<rect width="100%" height="100%" fill="${COLOURS.background}"/>`,
  ];
  const grouped = new Set(model.nodes);
  for (const node of model.nodes) {
    const box = layout.nodes.get(node);
    if (box === undefined) continue;
    const jobs = model.jobs.filter((j) => j.node === node);
    out.push(`<g class="node" data-node="${xml(node)}">`, `<title>${xml(`node ${node}: ${jobs.map((j) => j.name).join(', ')}`)}</title>`);
    out.push(`<rect x="${n(box.x)}" y="${n(box.y)}" width="${n(box.width)}" height="${n(box.height)}" rx="8" fill="${COLOURS.nodeFill}" stroke="${COLOURS.nodeStroke}" stroke-dasharray="${node === LOCAL_NODE ? '4 3' : 'none'}"/>`);
    out.push(`<text x="${n(box.x + 10)}" y="${n(box.y + 18)}" font-size="${FONT.small}" font-weight="bold" fill="${COLOURS.muted}">${xml(nodeLabel(node))}</text>`);
    for (const j of jobs) out.push(jobSvg(j, layout.jobs.get(j.name)));
    out.push('</g>');
  }
  for (const j of model.jobs) if (!grouped.has(j.node ?? '')) out.push(jobSvg(j, layout.jobs.get(j.name)));
  for (const p of model.pipes) {
    const placed = layout.pipes.get(p.name);
    out.push(pipeSvg(p, placed?.points ?? [], placed?.label));
  }
  out.push('</svg>');
  return out.join('\n') + '\n';
}

function jobSvg(j: GraphJob, box: Box | undefined): string {
  const b = box ?? { x: 0, y: 0, width: 0, height: 0 };
  const title = `job ${j.name}: ${j.what}${j.node === undefined ? '' : ` on ${j.node === LOCAL_NODE ? 'this machine' : `node ${j.node}`}`}`;
  const cx = b.x + b.width / 2;
  return [
    `<g class="job" id="job-${xml(j.name)}" data-job="${xml(j.name)}" data-kind="${j.kind}">`,
    `<title>${xml(title)}</title>`,
    `<rect x="${n(b.x)}" y="${n(b.y)}" width="${n(b.width)}" height="${n(b.height)}" rx="6" fill="${COLOURS.jobFill}" stroke="${COLOURS.jobStroke}" stroke-width="1.5"/>`,
    `<text class="job-name" x="${n(cx)}" y="${n(b.y + 8 + FONT.name)}" text-anchor="middle" font-size="${FONT.name}" font-weight="bold" fill="${COLOURS.text}">${xml(j.name)}</text>`,
    `<text class="job-kind" x="${n(cx)}" y="${n(b.y + 8 + FONT.name + 4 + FONT.small)}" text-anchor="middle" font-size="${FONT.small}" fill="${COLOURS.muted}">${xml(j.what)}</text>`,
    '</g>',
  ].join('\n');
}

function pipeSvg(p: GraphPipe, points: Point[], label: Box | undefined): string {
  const d = points.map((pt, i) => `${i === 0 ? 'M' : 'L'}${n(pt.x)},${n(pt.y)}`).join(' ');
  const lines: { text: string; cls: string; fill: string }[] = [{ text: pipeTitleLine(p), cls: 'pipe-title', fill: COLOURS.text }];
  const policy = pipePolicyLine(p);
  if (policy !== '') lines.push({ text: policy, cls: 'pipe-policy', fill: COLOURS.policy });
  const counts = pipeCountsLine(p);
  if (counts !== '') lines.push({ text: counts, cls: 'pipe-counts', fill: COLOURS.counts });
  const title = `pipe ${p.name}: ${p.from} → ${p.to}; ${lines.map((l) => l.text).join('; ')}`;
  const out = [
    `<g class="pipe${p.optional ? ' optional' : ''}${p.drop !== 'block' ? ' drops' : ''}" id="pipe-${xml(p.name)}" data-pipe="${xml(p.name)}" data-from="${xml(p.from)}" data-to="${xml(p.to)}">`,
    `<title>${xml(title)}</title>`,
    `<path d="${d}" fill="none" stroke="${p.drop !== 'block' ? COLOURS.policy : COLOURS.pipe}" stroke-width="1.5"${p.optional ? ' stroke-dasharray="6 4"' : ''} marker-end="url(#${ARROW_ID})"/>`,
  ];
  if (label !== undefined) {
    out.push(`<rect class="pipe-label-bg" x="${n(label.x)}" y="${n(label.y)}" width="${n(label.width)}" height="${n(label.height)}" rx="3" fill="${COLOURS.background}" fill-opacity="0.9"/>`);
    const x = label.x + label.width / 2;
    const tspans = lines.map((l, i) => `<tspan class="${l.cls}" x="${n(x)}" y="${n(label.y + 2 + (i + 1) * FONT.lineHeight - 3)}" fill="${l.fill}">${xml(l.text)}</tspan>`);
    out.push(`<text class="pipe-label" text-anchor="middle" font-size="${FONT.label}">${tspans.join('')}</text>`);
  }
  out.push('</g>');
  return out.join('\n');
}

/** A coordinate with at most one decimal. */
function n(v: number): string {
  return String(Math.round(v * 10) / 10);
}
