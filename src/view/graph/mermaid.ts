/** The graph as a Mermaid flowchart: one subgraph per node, optional pipes dotted. */
import { nodeLabel, pipeLabelLines } from './labels.js';
import type { GraphModel } from './model.js';

export function toMermaid(model: GraphModel): string {
  // Mermaid ids are plain words: jobs and nodes get their index, their names go in the labels.
  const id = new Map(model.jobs.map((j, i) => [j.name, `j${i}`]));
  const lines = ['flowchart LR'];
  const jobLine = (indent: string, j: GraphModel['jobs'][number]) => `${indent}${id.get(j.name)}["${text(j.name)}<br/><small>${text(j.what)}</small>"]`;
  model.nodes.forEach((node, i) => {
    lines.push(`  subgraph n${i}["${text(nodeLabel(node))}"]`);
    for (const j of model.jobs) if (j.node === node) lines.push(jobLine('    ', j));
    lines.push('  end');
  });
  for (const j of model.jobs) if (!model.nodes.includes(j.node ?? '')) lines.push(jobLine('  ', j));
  for (const p of model.pipes) {
    const arrow = p.optional === undefined ? '-->' : '-.->';
    lines.push(`  ${id.get(p.from) ?? '?'} ${arrow}|"${pipeLabelLines(p).map(text).join('<br/>')}"| ${id.get(p.to) ?? '?'}`);
  }
  return lines.join('\n') + '\n';
}

/** Text inside a quoted Mermaid label: its entity codes for the characters that would end or break it. */
function text(s: string): string {
  return s.replace(/&/g, '#amp;').replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;').replace(/\|/g, '#124;');
}
