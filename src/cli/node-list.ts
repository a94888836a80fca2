/**
 * The nodes of a network file or of a cluster file (a YAML file with just `nodes:`), resolved by the
 * config loader's own steps (read, schema, resolveNodes) without bundling any job module.
 * Kept in one function: the cluster-file support in src/config can replace it whole.
 */
import { resolve } from 'node:path';
import { MarveloErrors } from '../errors.js';
import { readNetworkFile } from '../config/parse.js';
import { rawNetworkOf } from '../config/raw.js';
import { resolveNodes } from '../config/resolve-nodes.js';
import { NETWORK_SCHEMA } from '../config/schema.js';
import type { NodeSpec } from '../config/types.js';
import { validateAgainstSchema, type SchemaObject } from '../config/validate-schema.js';

const CLUSTER_SCHEMA: SchemaObject = {
  ...NETWORK_SCHEMA,
  description: 'the nodes shared by many networks',
  required: ['nodes'],
  properties: { nodes: NETWORK_SCHEMA.properties.nodes },
};

/** Throws MarveloErrors (with file, line and column) when the file is not valid. */
export async function loadNodeList(file: string): Promise<NodeSpec[]> {
  const parsed = await readNetworkFile(resolve(file));
  if (!parsed.ok) throw new MarveloErrors(parsed.errors);
  const src = parsed.source;
  const isNetwork = src.nodeAt(['jobs']) !== undefined;
  const schemaErrors = validateAgainstSchema(src, isNetwork ? NETWORK_SCHEMA : CLUSTER_SCHEMA);
  if (schemaErrors.length > 0) throw new MarveloErrors(schemaErrors);
  const { nodes, errors } = resolveNodes(rawNetworkOf(src), src);
  if (errors.length > 0) throw new MarveloErrors(errors);
  return nodes;
}
