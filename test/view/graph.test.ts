import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadNetwork } from '../../src/config/load.js';
import { place } from '../../src/plan/place.js';
import type { PipeSummary } from '../../src/api/summary.js';
import { graphModel, toDot, toMermaid, toSvg, type GraphNetwork } from '../../src/view/graph/index.js';
import { ROOT } from '../helpers/cli.js';
import { parseSvg, textOf, textsOf } from './svg-dom.js';

const DEMO = join(ROOT, 'networks', 'demo.yaml');
const FULL = join(ROOT, 'test', 'fixtures', 'config', 'networks', 'full.yaml');
const SMALL = join(ROOT, 'test', 'fixtures', 'view', 'small.yaml');

describe('the SVG of a network', () => {
  it('the demo: every job a box with its name and class, every pipe an arrow labelled name · codec · ×block_count', async () => {
    const { network } = await loadNetwork(DEMO);
    const svg = await toSvg(graphModel(network));
    const parts = parseSvg(svg);
    expect([...parts.jobs.keys()]).toEqual(network.jobs.map((j) => j.name));
    expect([...parts.pipes.keys()].sort()).toEqual(Object.keys(network.pipes).sort());
    expect(parts.nodes.size).toBe(0); // no nodes: no groups
    for (const [name, g] of parts.jobs) {
      expect(g.getAttribute('id')).toBe(`job-${name}`);
      expect(textOf(g, 'text', 'job-name')).toBe(name);
      expect(textOf(g, 'title')).toMatch(new RegExp(`^job ${name}: `));
    }
    expect(textOf(parts.jobs.get('save')!, 'text', 'job-kind')).toBe('builtin:csv-sink');
    expect(textOf(parts.jobs.get('join')!, 'text', 'job-kind')).toBe('product.ts');
    for (const [name, g] of parts.pipes) {
      expect(g.getAttribute('id')).toBe(`pipe-${name}`);
      expect(textOf(g, 'title')).toMatch(new RegExp(`^pipe ${name}: `));
      expect(g.getElementsByTagName('path')[0]!.getAttribute('d')).toMatch(/^M[\d.]+,[\d.]+( L[\d.]+,[\d.]+)+$/);
    }
    expect(textOf(parts.pipes.get('p105')!, 'text', 'pipe-label')).toBe('p105 · msgpack · ×5');
    expect(textOf(parts.pipes.get('p101')!, 'text', 'pipe-label')).toBe('p101 · msgpack · ×1');
    // self-contained: nothing loaded from outside the file
    expect(svg).not.toMatch(/<script|@import|@font-face|href="http|xlink:href/);
  });

  it('a network with nodes: jobs grouped by node after placement, optional pipes dashed, drop policies written', async () => {
    const { network } = await loadNetwork(FULL);
    const plan = place(network);
    const parts = parseSvg(await toSvg(graphModel(network, plan)));
    expect([...parts.jobs.keys()].sort()).toEqual(network.jobs.map((j) => j.name).sort());
    expect([...parts.pipes.keys()].sort()).toEqual(Object.keys(network.pipes).sort());
    expect([...parts.nodes.keys()].sort()).toEqual([...new Set(plan.jobs.map((j) => j.node))].sort());
    for (const [node, g] of parts.nodes) {
      const inside = Array.from(g.getElementsByTagName('g')).map((j) => j.getAttribute('data-job'));
      expect(inside.sort()).toEqual(plan.jobs.filter((j) => j.node === node).map((j) => j.job).sort());
    }
    const samples = parts.pipes.get('samples')!;
    expect(textsOf(samples, 'tspan', 'pipe-title')).toEqual(['samples · float32[256] · ×4']);
    expect(textsOf(samples, 'tspan', 'pipe-policy')).toEqual(['drop oldest']);
    const raw = parts.pipes.get('raw')!;
    expect(textsOf(raw, 'tspan', 'pipe-policy')).toEqual(['optional (buffer 4, drops newest)']);
    expect(raw.getElementsByTagName('path')[0]!.getAttribute('stroke-dasharray')).toBe('6 4');
    expect(samples.getElementsByTagName('path')[0]!.getAttribute('stroke-dasharray')).toBeNull();
    expect(textsOf(parts.pipes.get('coded')!, 'tspan', 'pipe-title')).toEqual(['coded · IntCodec · ×1']);
    expect(textsOf(parts.pipes.get('ints')!, 'tspan', 'pipe-title')).toEqual(['ints · bytes/1024 · ×1']);
  });

  it('names are XML-escaped, and final counts show blocks, and dropped and dummies when not zero', async () => {
    const odd = 'a<b>&"c\'';
    const network: GraphNetwork = {
      name: 'odd & "names"',
      jobs: [
        { name: odd, kind: 'script', module: { file: '/x/y&z.ts', exportName: 'default' }, builtin: undefined, executable: undefined },
        { name: 'sink', kind: 'builtin', module: undefined, builtin: 'csv-sink', executable: undefined },
      ],
      pipes: {
        'p<1>': { name: 'p<1>', codec: { kind: 'msgpack' }, blockCount: 1, optional: undefined, drop: 'newest', producer: odd, consumer: 'sink' },
        q: { name: 'q', codec: { kind: 'json' }, blockCount: 3, optional: undefined, drop: 'block', producer: odd, consumer: 'sink' },
      },
      nodes: [],
    };
    const counts = [summary('p<1>', { blocks: 7, dropped: 3, dummies: 2 }), summary('q', { blocks: 1 })];
    const parts = parseSvg(await toSvg(graphModel(network, undefined, counts)));
    expect(parts.jobs.get(odd)!.getAttribute('id')).toBe(`job-${odd}`);
    expect(textOf(parts.jobs.get(odd)!, 'text', 'job-kind')).toBe('y&z.ts');
    expect(textsOf(parts.pipes.get('p<1>')!, 'tspan', 'pipe-counts')).toEqual(['7 blocks · 3 dropped · 2 dummies']);
    expect(textsOf(parts.pipes.get('p<1>')!, 'tspan', 'pipe-policy')).toEqual(['drop newest']);
    expect(textsOf(parts.pipes.get('q')!, 'tspan', 'pipe-counts')).toEqual(['1 block']);
    expect(textsOf(parts.pipes.get('q')!, 'tspan', 'pipe-policy')).toEqual([]);
  });
});

describe('DOT and Mermaid', () => {
  it('a small network with nodes, as DOT', async () => {
    const { network } = await loadNetwork(SMALL);
    expect(toDot(graphModel(network, place(network)))).toBe(
      [
        'digraph "small \\"net\\"" {',
        '  rankdir=LR;',
        '  node [shape=box, style="rounded,filled", fillcolor="#eef3fb", fontname="Helvetica"];',
        '  edge [fontname="Helvetica", fontsize=10];',
        '  subgraph "cluster_0" {',
        '    label="pi";',
        '    style="rounded,dashed";',
        '    "src" [label="src\\ncount.ts"];',
        '  }',
        '  subgraph "cluster_1" {',
        '    label="box";',
        '    style="rounded,dashed";',
        '    "fwd" [label="fwd\\nforward.ts"];',
        '  }',
        '  subgraph "cluster_2" {',
        '    label="local (this machine)";',
        '    style="rounded,dashed";',
        '    "save" [label="save\\nbuiltin:csv-sink"];',
        '  }',
        '  "src" -> "fwd" [label="a · json · ×2\\ndrop oldest", color="#b42318", fontcolor="#b42318"];',
        '  "fwd" -> "save" [label="b · msgpack · ×1\\noptional (buffer 1, drops oldest)", style=dashed];',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('the same network as Mermaid, and without placement no groups', async () => {
    const { network } = await loadNetwork(SMALL);
    expect(toMermaid(graphModel(network, place(network)))).toBe(
      [
        'flowchart LR',
        '  subgraph n0["pi"]',
        '    j0["src<br/><small>count.ts</small>"]',
        '  end',
        '  subgraph n1["box"]',
        '    j1["fwd<br/><small>forward.ts</small>"]',
        '  end',
        '  subgraph n2["local (this machine)"]',
        '    j2["save<br/><small>builtin:csv-sink</small>"]',
        '  end',
        '  j0 -->|"a · json · ×2<br/>drop oldest"| j1',
        '  j1 -.->|"b · msgpack · ×1<br/>optional (buffer 1, drops oldest)"| j2',
        '',
      ].join('\n'),
    );
    expect(toMermaid(graphModel(network))).toBe(
      [
        'flowchart LR',
        '  j0["src<br/><small>count.ts</small>"]',
        '  j1["fwd<br/><small>forward.ts</small>"]',
        '  j2["save<br/><small>builtin:csv-sink</small>"]',
        '  j0 -->|"a · json · ×2<br/>drop oldest"| j1',
        '  j1 -.->|"b · msgpack · ×1<br/>optional (buffer 1, drops oldest)"| j2',
        '',
      ].join('\n'),
    );
  });
});

function summary(pipe: string, c: Partial<PipeSummary>): PipeSummary {
  const zero = { blocks: 0, dropped: 0, dummies: 0, discarded: 0, stale: 0, incomplete: 0, overflow: 0, skipped: 0, sent: 0, replayed: 0, bytes: 0 };
  return { pipe, producer: '', consumer: '', partial: false, ...zero, ...c };
}
