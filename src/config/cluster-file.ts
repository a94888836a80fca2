/**
 * A cluster file: a YAML file whose `nodes:` list has the form of a network file's, shared by many
 * networks. It is read, checked and located exactly like a network file, so its errors name its own
 * lines and columns.
 */
import type { MarveloError, SourceLocation } from '../errors.js';
import { readNetworkFile } from './parse.js';
import type { RawCluster } from './raw.js';
import { resolveNodes } from './resolve-nodes.js';
import { CLUSTER_SCHEMA } from './schema.js';
import type { NodeSpec } from './types.js';
import { validateAgainstSchema } from './validate-schema.js';
import type { Pause } from './yaml-parse.js';
import type { YamlSource } from './source.js';

export const CLUSTER_FILE = {
  name: 'the cluster file',
  emptyHint: 'a cluster file is a map with a `nodes:` list, e.g. nodes: [{ name: pi-1, host: 10.0.0.2 }]',
};

/** `namedAt`: where the network file names it (`nodes: ./cluster.yaml`). */
export async function readClusterFile(file: string, namedAt?: SourceLocation, pause?: Pause): Promise<{ nodes: NodeSpec[]; errors: MarveloError[] }> {
  const kind = { name: 'cluster file', pathHint: 'give the path of a YAML file with a nodes: list, e.g. cluster.yaml', namedAt };
  const parsed = await readNetworkFile(file, pause, kind);
  if (!parsed.ok) return { nodes: [], errors: parsed.errors };
  return clusterNodesOf(parsed.source);
}

/** The nodes of a parsed cluster file. */
export function clusterNodesOf(src: YamlSource): { nodes: NodeSpec[]; errors: MarveloError[] } {
  const schemaErrors = validateAgainstSchema(src, CLUSTER_SCHEMA, CLUSTER_FILE);
  if (schemaErrors.length > 0) return { nodes: [], errors: schemaErrors };
  const raw = src.doc.toJS({ maxAliasCount: -1 }) as RawCluster;
  return resolveNodes(raw.nodes, { src, path: ['nodes'] });
}
