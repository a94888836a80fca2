import PQueue from 'p-queue';
import { formatError } from '../errors.js';
import { probeNode } from '../launch/ssh/probe.js';
import { loadNodes } from '../config/nodes.js';
import { nodeReport, nodesTable } from './nodes-format.js';

/** Nodes probed at once: each probe is one SSH connection, mostly waiting on the network. */
const PROBES_AT_ONCE = 16;

export async function nodesCommand(file: string, opts: { json?: boolean; acceptNewHosts?: boolean; nodes?: string }): Promise<number> {
  const nodes = await loadNodes(file, opts.nodes === undefined ? {} : { nodesFile: opts.nodes });
  const queue = new PQueue({ concurrency: PROBES_AT_ONCE });
  const probes = await Promise.all(nodes.map((node) => queue.add(() => probeNode(node, { acceptNewHosts: opts.acceptNewHosts === true }))));
  const reports = probes.map(nodeReport);
  const unusable = probes.filter((p) => !p.usable);
  if (opts.json) {
    process.stdout.write(JSON.stringify(reports, null, 2) + '\n');
  } else if (nodes.length === 0) {
    process.stdout.write(`${file}: no nodes (every job runs on this machine)\n`);
  } else {
    process.stdout.write(nodesTable(reports).join('\n') + '\n');
    for (const p of unusable) if (p.error) process.stderr.write(`error: ${formatError(p.error)}\n`);
    const verdict = unusable.length === 0 ? 'usable' : `usable; unusable: ${unusable.map((p) => p.node).join(', ')}`;
    process.stdout.write(`${nodes.length - unusable.length} of ${nodes.length} node(s) ${verdict}\n`);
  }
  return unusable.length === 0 ? 0 : 1;
}
