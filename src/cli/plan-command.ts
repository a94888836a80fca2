/** `marvelo plan`: where every job would run and how every pipe would travel; runs nothing, connects nowhere. */
import { loadNetwork } from '../config/load.js';
import type { Network } from '../config/types.js';
import { LOCAL_NODE, place } from '../plan/place.js';
import { planToJson } from '../plan/json.js';
import { resourcesRows, resourcesView } from '../plan/resources-view.js';
import type { Plan } from '../plan/types.js';
import { overridesOf, type OverrideFlags } from './override-options.js';
import { reportFatal } from './report.js';

export async function planCommand(file: string, opts: OverrideFlags & { json?: boolean; nodes?: string }): Promise<number> {
  try {
    const { network } = await loadNetwork(file, { nodesFile: opts.nodes, overrides: overridesOf(opts) });
    const plan = place(network);
    const resources = resourcesView(network, plan);
    const json = { ...planToJson(plan), ...(resources === undefined ? {} : { resources }) };
    process.stdout.write(opts.json ? JSON.stringify(json, null, 2) + '\n' : formatPlan(network, plan) + '\n');
    return 0;
  } catch (e) {
    return reportFatal(e);
  }
}

export function formatPlan(network: Network, plan: Plan): string {
  const remote = plan.nodes.length;
  const local = plan.jobs.some((j) => j.node === LOCAL_NODE);
  const where = [remote > 0 ? `${remote} node${remote === 1 ? '' : 's'}` : '', local ? 'this machine' : ''].filter(Boolean).join(' and ');
  const lines = [`${network.name}: ${plan.jobs.length} job${plan.jobs.length === 1 ? '' : 's'} on ${where}`];
  lines.push(...table(['job', 'node', 'why'], plan.jobs.map((j) => [j.job, j.node, j.why])));
  if (plan.pipes.length > 0) {
    lines.push(...table(['pipe', 'route', 'transport'], plan.pipes.map((p) => [p.pipe, `${p.producer}@${plan.nodeOf.get(p.producer)} -> ${p.consumer}@${plan.nodeOf.get(p.consumer)}`, p.transport])));
  }
  const resources = resourcesView(network, plan);
  if (resources !== undefined) {
    const rows = resourcesRows(resources);
    lines.push(...table(['job', 'requests', 'limits'], rows.jobs));
    if (rows.nodes.length > 0) lines.push(...table(['node', 'capacity', 'left'], rows.nodes));
  }
  return lines.join('\n');
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]) => ('  ' + r.map((c, i) => c.padEnd(widths[i]!)).join('  ')).trimEnd();
  return ['', fmt(header), ...rows.map(fmt)];
}
