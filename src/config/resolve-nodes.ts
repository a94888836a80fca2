/** Nodes from the network file, with defaults; node names must be unique. */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { MarveloError, type SourceLocation } from '../errors.js';
import { asList, type RawNetwork } from './raw.js';
import type { YamlSource } from './source.js';
import type { NodeSpec } from './types.js';

const DEFAULT_SSH_PORT = 22;

export function resolveNodes(raw: RawNetwork, src: YamlSource): { nodes: NodeSpec[]; errors: MarveloError[] } {
  const errors: MarveloError[] = [];
  const seen = new Map<string, SourceLocation>();
  const nodes = (raw.nodes ?? []).map((node, i): NodeSpec => {
    const name = node.name ?? node.host;
    const where = src.valueAt(['nodes', i]);
    const earlier = seen.get(name);
    if (earlier !== undefined) {
      errors.push(
        new MarveloError('MRV_CONFIG_GRAPH', `duplicate node name '${name}': line ${earlier.line} already uses it`, {
          where: src.valueAt(['nodes', i, node.name === undefined ? 'host' : 'name']),
          hint: 'give every node its own name (a node without a name is named after its host)',
        }),
      );
    } else {
      seen.set(name, where);
    }
    const capacity: NodeSpec['capacity'] = {};
    if (node.capacity?.cpu !== undefined) capacity.cpu = String(node.capacity.cpu);
    if (node.capacity?.memory !== undefined) capacity.memory = String(node.capacity.memory);
    return {
      name,
      host: node.host,
      port: node.port ?? DEFAULT_SSH_PORT,
      user: node.user,
      identity: undefined,
      knownHosts: join(homedir(), '.ssh', 'known_hosts'),
      groups: asList(node.groups) ?? ['ALL'],
      capacity,
      root: '~/.marvelo',
      nodeBinary: 'node',
      dataHost: node.host,
      where,
    };
  });
  return { nodes, errors };
}
