/**
 * The nodes of a run: `--nodes` (a cluster file) wins over the network file's `nodes:`, which is a list or
 * the path of a cluster file. loadNodes() reads them without loading any job module (`marvelo nodes`).
 */
import { dirname, resolve } from 'node:path';
import { MarveloErrors, type MarveloError } from '../errors.js';
import { clusterNodesOf, readClusterFile } from './cluster-file.js';
import { readNetworkFile } from './parse.js';
import { rawNetworkOf, type RawNetwork } from './raw.js';
import { clientPath, resolveNodes } from './resolve-nodes.js';
import type { YamlSource } from './source.js';
import type { NodeSpec } from './types.js';
import { validateAgainstSchema } from './validate-schema.js';

export async function nodesOf(raw: RawNetwork, src: YamlSource, nodesFile: string | undefined): Promise<{ nodes: NodeSpec[]; errors: MarveloError[] }> {
  if (nodesFile !== undefined) return readClusterFile(resolve(nodesFile));
  if (typeof raw.nodes === 'string') return readClusterFile(clientPath(raw.nodes, dirname(src.file)), src.valueAt(['nodes']));
  return resolveNodes(raw.nodes ?? [], { src, path: ['nodes'] });
}

/**
 * The nodes of a network file (one with `jobs:`) or of a cluster file, checked as `marvelo validate`
 * checks them; `nodesFile` wins as in a run. Throws MarveloErrors.
 */
export async function loadNodes(file: string, opts: { nodesFile?: string } = {}): Promise<NodeSpec[]> {
  const path = resolve(file);
  const parsed = await readNetworkFile(path, undefined, { name: 'file', pathHint: 'give the path of a network file or a cluster file (YAML)' });
  if (!parsed.ok) throw new MarveloErrors(parsed.errors);
  const src = parsed.source;
  let found: { nodes: NodeSpec[]; errors: MarveloError[] };
  if (src.nodeAt(['jobs']) !== undefined) {
    const schemaErrors = validateAgainstSchema(src);
    if (schemaErrors.length > 0) throw new MarveloErrors(schemaErrors);
    found = await nodesOf(rawNetworkOf(src), src, opts.nodesFile);
  } else {
    found = opts.nodesFile !== undefined ? await readClusterFile(resolve(opts.nodesFile)) : clusterNodesOf(src);
  }
  if (found.errors.length > 0) throw new MarveloErrors(found.errors);
  return found.nodes;
}
