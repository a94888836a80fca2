/** An original network (as read from its config.py) as a network file and a cluster file. */
import { mapConfigKeys, mapNodes, type YamlNode } from './map-config.js';
import { mapJob, type YamlJob } from './map-jobs.js';
import { mapPipe } from './map-pipes.js';
import { jobNames, pipeName } from './names.js';
import { Notes, type ImportNote } from './notes.js';
import type { JsonValue, OriginalNetwork } from './original.js';
import { xmlJobsAndPipes } from './xml-jobs.js';

export interface MappedNetwork {
  network: Record<string, JsonValue>;
  /** The cluster file's nodes; empty when the original lists none. */
  nodes: YamlNode[];
  notes: ImportNote[];
}

/** `clusterFile`: how network.yaml names the cluster file (relative to it). */
export function mapNetwork(net: OriginalNetwork, outDir: string, clusterFile: string): MappedNetwork {
  const notes = new Notes();
  const xml = xmlJobsAndPipes(net, notes);
  const jobs = [...net.jobs, ...xml.jobs];
  const pipes = [...net.pipes, ...xml.pipes];
  const nodes = mapNodes(net, xml.hosts, notes);
  const { headSize } = mapConfigKeys(net, nodes.length > 0, notes);
  const ctx = { outDir, names: jobNames(jobs), pipes: new Map(pipes.map((p) => [p.id, p])), notes };
  const yamlJobs = jobs.map((j) => mapJob(j, ctx)).filter((j): j is YamlJob => j !== undefined);
  const yamlPipes: Record<string, JsonValue> = {};
  for (const pipe of pipes) {
    const settings = mapPipe(pipe, notes);
    if (settings !== undefined) yamlPipes[pipeName(pipe.id)] = settings;
  }
  const pickled = pipes.filter((p) => p.codec === 'msgpack').map((p) => pipeName(p.id));
  if (pickled.length > 0) {
    notes.changed(
      `pickle pipes ${pickled.join(', ')}`,
      'their values travel as msgpack, never pickle: tuples arrive as lists, and a value msgpack cannot carry (a class instance, a set) fails the job that sends it, naming the value',
    );
  }
  const network: Record<string, JsonValue> = { name: net.name };
  if (headSize !== undefined) network.head_size = headSize;
  if (nodes.length > 0) network.nodes = clusterFile;
  network.jobs = yamlJobs;
  if (Object.keys(yamlPipes).length > 0) network.pipes = yamlPipes;
  return { network, nodes, notes: notes.list };
}
