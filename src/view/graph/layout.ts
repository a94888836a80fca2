/**
 * Places the graph's boxes and arrows with ELK's layered algorithm (left to right, node groups as
 * compound boxes). Text is measured as monospace: the SVG draws it in a monospace font.
 */
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk.bundled.js';
import { nodeLabel, pipeLabelLines } from './labels.js';
import type { GraphModel } from './model.js';

export const FONT = { name: 13, small: 11, label: 11, lineHeight: 14 } as const;
/** Width of one monospace character, in ems. */
const CHAR_EM = 0.62;
const JOB_PAD = { x: 12, y: 8 };
const GROUP_TITLE = 22;

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Point {
  x: number;
  y: number;
}

export interface Layout {
  width: number;
  height: number;
  jobs: Map<string, Box>;
  nodes: Map<string, Box>;
  /** pipe -> its polyline (start, bends, end) and its label's box. */
  pipes: Map<string, { points: Point[]; label: Box | undefined }>;
}

export function textWidth(text: string, size: number): number {
  return Math.ceil([...text].length * size * CHAR_EM);
}

export async function layoutGraph(model: GraphModel): Promise<Layout> {
  // Loaded on use: the layout engine is large and only drawing needs it. Its bundled build runs in this
  // thread (no worker), and needs no optional package.
  const { default: ELK } = await import('elkjs/lib/elk.bundled.js');
  const jobNode = (j: GraphModel['jobs'][number]): ElkNode => ({
    id: `job:${j.name}`,
    width: Math.max(textWidth(j.name, FONT.name), textWidth(j.what, FONT.small)) + 2 * JOB_PAD.x,
    height: FONT.name + FONT.small + 6 + 2 * JOB_PAD.y,
  });
  const grouped = new Set(model.nodes);
  const children: ElkNode[] = [
    ...model.nodes.map((node) => ({
      id: `node:${node}`,
      layoutOptions: { 'elk.padding': `[top=${GROUP_TITLE + 10},left=14,bottom=14,right=14]`, 'elk.nodeSize.minimum': `(${textWidth(nodeLabel(node), FONT.small) + 28}, 40)`, 'elk.nodeSize.constraints': 'MINIMUM_SIZE' },
      children: model.jobs.filter((j) => j.node === node).map(jobNode),
    })),
    ...model.jobs.filter((j) => !grouped.has(j.node ?? '')).map(jobNode),
  ];
  const edges: ElkExtendedEdge[] = model.pipes.map((p) => {
    const lines = pipeLabelLines(p);
    return {
      id: `pipe:${p.name}`,
      sources: [`job:${p.from}`],
      targets: [`job:${p.to}`],
      labels: [{ text: p.name, width: Math.max(...lines.map((l) => textWidth(l, FONT.label))) + 8, height: lines.length * FONT.lineHeight + 4 }],
    };
  });
  const root: ElkNode = {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
      'elk.json.shapeCoords': 'ROOT',
      'elk.json.edgeCoords': 'ROOT',
      'elk.edgeLabels.placement': 'CENTER',
      'elk.edgeRouting': 'ORTHOGONAL',
      'elk.spacing.nodeNode': '28',
      'elk.layered.spacing.nodeNodeBetweenLayers': '48',
      'elk.spacing.edgeLabel': '4',
      'elk.padding': '[top=16,left=16,bottom=16,right=16]',
    },
    children,
    edges,
  };
  const placed = await new ELK().layout(root);
  const jobs = new Map<string, Box>();
  const nodes = new Map<string, Box>();
  const visit = (n: ElkNode) => {
    const box = { x: n.x ?? 0, y: n.y ?? 0, width: n.width ?? 0, height: n.height ?? 0 };
    if (n.id.startsWith('job:')) jobs.set(n.id.slice(4), box);
    if (n.id.startsWith('node:')) nodes.set(n.id.slice(5), box);
    for (const c of n.children ?? []) visit(c);
  };
  for (const c of placed.children ?? []) visit(c);
  const pipes = new Map<string, { points: Point[]; label: Box | undefined }>();
  for (const e of placed.edges ?? []) {
    const points = (e.sections ?? []).flatMap((s) => [s.startPoint, ...(s.bendPoints ?? []), s.endPoint]);
    const l = e.labels?.[0];
    const label = l === undefined ? undefined : { x: l.x ?? 0, y: l.y ?? 0, width: l.width ?? 0, height: l.height ?? 0 };
    pipes.set(e.id.slice(5), { points, label });
  }
  // The extent of everything drawn (labels may reach past the root's size).
  const boxes = [...jobs.values(), ...nodes.values(), ...[...pipes.values()].flatMap((p) => (p.label ? [p.label] : []))];
  const xs = [placed.width ?? 0, ...boxes.map((b) => b.x + b.width), ...[...pipes.values()].flatMap((p) => p.points.map((pt) => pt.x))];
  const ys = [placed.height ?? 0, ...boxes.map((b) => b.y + b.height), ...[...pipes.values()].flatMap((p) => p.points.map((pt) => pt.y))];
  return { width: Math.ceil(Math.max(...xs) + 16), height: Math.ceil(Math.max(...ys) + 16), jobs, nodes, pipes };
}
