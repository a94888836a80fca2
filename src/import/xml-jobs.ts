/**
 * A network given as an XML_FILE (the original's XMLLoader: <node pi_id><algorithm path executable>
 * <input|output pipe_id block_size block_count/><parameter param/>): each algorithm is a DynamicMARVELOJob
 * pinned to its node, each pipe raw bytes. They become original jobs and pipes, mapped like the others.
 */
import { basename, extname } from 'node:path';
import { isLocalHost } from './map-config.js';
import type { Notes } from './notes.js';
import type { OriginalJob, OriginalNetwork, OriginalPipe, OriginalXmlJob } from './original.js';

export function xmlJobsAndPipes(net: OriginalNetwork, notes: Notes): { jobs: OriginalJob[]; pipes: OriginalPipe[]; hosts: string[] } {
  const xml = net.xml;
  if (xml === null) return { jobs: [], pipes: [], hosts: [] };
  if (xml.missing) {
    notes.dropped(`config XML_FILE`, `${xml.file} was not found (relative to the project folder or the network folder)`);
    return { jobs: [], pipes: [], hosts: [] };
  }
  let id = net.jobs.reduce((m, j) => Math.max(m, j.id), 0);
  const pipes = new Map<number, OriginalPipe>();
  const hosts: string[] = [];
  const jobs = xml.jobs.map((x) => {
    id += 1;
    const job = xmlJob(x, id, notes);
    if (x.node !== null && !isLocalHost(x.node) && !hosts.includes(x.node)) hosts.push(x.node);
    for (const [side, list] of [['out', x.outputs], ['in', x.inputs]] as const) {
      for (const p of list) {
        const known = pipes.get(p.id);
        if (known !== undefined && known.block_size !== p.block_size) {
          notes.changed(`pipe ${p.id} (XML)`, `block_size ${String(known.block_size)} at one end and ${p.block_size} at the other (the original refused this); ${String(known.block_size)} is used`);
        }
        const pipe = known ?? xmlPipe(p.id, p.block_size);
        if (side === 'in') pipe.block_count = p.block_count;
        pipes.set(p.id, pipe);
      }
    }
    return job;
  });
  notes.changed(`config XML_FILE`, `its ${jobs.length} job(s) are in the network file; each is pinned to its node by default_node (tried first), or to this machine (groups: [LOCAL]) for 127.0.0.1; its pipes carry raw bytes of their block_size`);
  return { jobs, pipes: [...pipes.values()], hosts };
}

function xmlJob(x: OriginalXmlJob, id: number, notes: Notes): OriginalJob {
  const words = x.executable.split(/\s+/).filter(Boolean);
  const file = words.find((w) => extname(w) !== '' || w.includes('/')) ?? words[0] ?? 'xml_job';
  const cls = basename(file, extname(file)).replace(/[^A-Za-z0-9]+/g, '_') || 'xml_job';
  if (x.dependency !== null && x.dependency_dir === null) {
    notes.dropped(`XML job ${id} (${x.executable})`, `its path ${x.dependency} is not a folder (relative to the project, the network or the XML file)`);
  }
  const local = x.node === null || isLocalHost(x.node);
  return {
    id,
    cls,
    module: 'xml',
    file: null,
    kind: 'marvelo',
    bases: ['DynamicMARVELOJob'],
    inputs: x.inputs.map((p) => p.id),
    outputs: x.outputs.map((p) => p.id),
    groups: local ? ['LOCAL'] : ['ALL'],
    default_node: local ? null : x.node,
    head: false,
    max_queue: 0,
    has_preference: false,
    dependencies: { dirs: x.dependency_dir !== null ? [x.dependency_dir] : [], missing: [], modules: [] },
    executable: x.executable,
    parameters: x.parameters,
    input_flag: '-i',
    output_flag: '-o',
  };
}

function xmlPipe(id: number, blockSize: number): OriginalPipe {
  return { id, cls: 'LoaderPipe', bases: ['LoaderPipe', 'BasePipe'], codec: null, block_size: blockSize, block_count: 1, async: false, optional: null, custom_methods: [] };
}
