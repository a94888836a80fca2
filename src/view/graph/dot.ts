/** The graph as Graphviz DOT text: one cluster per node, optional pipes dashed, drop policies in red. */
import { nodeLabel, pipeLabelLines } from './labels.js';
import type { GraphModel } from './model.js';

export function toDot(model: GraphModel): string {
  const lines = [`digraph ${q(model.name)} {`, '  rankdir=LR;', '  node [shape=box, style="rounded,filled", fillcolor="#eef3fb", fontname="Helvetica"];', '  edge [fontname="Helvetica", fontsize=10];'];
  const jobLine = (indent: string, j: GraphModel['jobs'][number]) => `${indent}${q(j.name)} [label=${q(`${j.name}\n${j.what}`)}];`;
  model.nodes.forEach((node, i) => {
    lines.push(`  subgraph ${q(`cluster_${i}`)} {`, `    label=${q(nodeLabel(node))};`, '    style="rounded,dashed";');
    for (const j of model.jobs) if (j.node === node) lines.push(jobLine('    ', j));
    lines.push('  }');
  });
  for (const j of model.jobs) if (!model.nodes.includes(j.node ?? '')) lines.push(jobLine('  ', j));
  for (const p of model.pipes) {
    const attrs = [`label=${q(pipeLabelLines(p).join('\n'))}`];
    if (p.optional !== undefined) attrs.push('style=dashed');
    if (p.drop !== 'block') attrs.push('color="#b42318"', 'fontcolor="#b42318"');
    lines.push(`  ${q(p.from)} -> ${q(p.to)} [${attrs.join(', ')}];`);
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}

/** A DOT quoted string (newlines as \n). */
function q(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}
