/** Writes the imported network file and cluster file as YAML: short lists and plain maps on one line. */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Document, isMap, isScalar, isSeq, visit } from 'yaml';
import { MarveloError, displayPath } from '../errors.js';
import type { MappedNetwork } from './map-network.js';

export const NETWORK_FILE = 'network.yaml';
export const CLUSTER_FILE = 'cluster.yaml';

export interface WrittenFiles {
  network: string;
  cluster?: string;
}

export function writeImported(mapped: MappedNetwork, outDir: string, source: string, force: boolean): WrittenFiles {
  const networkFile = join(outDir, NETWORK_FILE);
  const clusterFile = mapped.nodes.length > 0 ? join(outDir, CLUSTER_FILE) : undefined;
  for (const file of [networkFile, clusterFile]) {
    if (file !== undefined && existsSync(file) && !force) {
      throw new MarveloError('MRV_IMPORT_OUTPUT', `${displayPath(file)} exists already`, {
        hint: 'pass --force to replace it, or -o <folder> to write the imported files elsewhere',
      });
    }
  }
  mkdirSync(outDir, { recursive: true });
  const header = [`Imported from the MARVELO network ${source} by marvelo import.`];
  if (mapped.notes.length > 0) {
    header.push('Not carried over as it was (see the README, Coming from MARVELO):');
    for (const n of mapped.notes) header.push(`  ${n.kind === 'dropped' ? 'dropped' : 'changed'}: ${n.subject}: ${n.text}`);
  }
  writeFileSync(networkFile, toYaml(mapped.network, header));
  if (clusterFile !== undefined) {
    writeFileSync(clusterFile, toYaml({ nodes: mapped.nodes }, [`The nodes of the MARVELO network ${source}, imported by marvelo import.`]));
  }
  return { network: networkFile, cluster: clusterFile };
}

function toYaml(value: unknown, header: string[]): string {
  const doc = new Document(value);
  visit(doc, {
    Pair(_, pair) {
      // Pipe names that are numbers are written as numbers, as inputs and outputs name them.
      if (isScalar(pair.key) && typeof pair.key.value === 'string' && /^[0-9]+$/.test(pair.key.value)) pair.key.value = Number(pair.key.value);
    },
    Seq(_, node) {
      if (node.items.every((i) => isScalar(i))) node.flow = true;
    },
    Map(key, node) {
      // A pipe's settings and a job's params read best on one line when they are plain values.
      if (key !== null && node.items.length <= 4 && node.items.every((p) => isScalar(p.value) || (isSeq(p.value) && p.value.items.length <= 6) || (isMap(p.value) && p.value.items.every((q) => isScalar(q.value))))) {
        if (node.items.every((p) => !isMap(p.value) || p.value.items.length <= 4)) node.flow = true;
      }
    },
  });
  doc.commentBefore = header.map((l) => ` ${l}`).join('\n');
  return doc.toString({ lineWidth: 0 });
}
