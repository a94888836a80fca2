/**
 * `marvelo graph <network | run>`: the network as a picture (SVG, DOT or Mermaid). A network file is
 * loaded as `marvelo validate` loads it and placed when it lists nodes; a run is drawn from its record
 * (config, placement and the final counts of its summary).
 */
import { statSync, writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { loadNetwork } from '../config/load.js';
import { place } from '../plan/place.js';
import { readRun, resolveRunId } from '../api/records/reader.js';
import type { RunRecord } from '../api/records/types.js';
import { MarveloError } from '../errors.js';
import { graphModel, toDot, toMermaid, toSvg, type GraphModel } from '../view/graph/index.js';
import { reportFatal } from './report.js';
import { readingDir } from './runs-command.js';

export const GRAPH_FORMATS = ['svg', 'dot', 'mermaid'] as const;
export type GraphFormat = (typeof GRAPH_FORMATS)[number];

export interface GraphFlags {
  format?: string;
  output?: string;
  nodes?: string;
  runsDir?: string;
}

export async function graphCommand(target: string, flags: GraphFlags): Promise<number> {
  try {
    const format = graphFormat(flags.format ?? formatOfFile(flags.output));
    const model = isNetworkFile(target) ? await networkModel(target, flags.nodes) : runModel(target, flags);
    const text = format === 'svg' ? await toSvg(model) : format === 'dot' ? toDot(model) : toMermaid(model);
    if (flags.output === undefined) process.stdout.write(text);
    else writeFile(flags.output, text);
    return 0;
  } catch (e) {
    return reportFatal(e);
  }
}

function graphFormat(f: string): GraphFormat {
  if ((GRAPH_FORMATS as readonly string[]).includes(f)) return f as GraphFormat;
  throw new MarveloError('MRV_GRAPH_INPUT', `unknown format '${f}'`, { hint: 'give --format svg (the default), dot or mermaid' });
}

/** The format an -o file's extension names (.dot or .gv, .mmd or .mermaid); svg for any other. */
function formatOfFile(file: string | undefined): GraphFormat {
  const ext = file === undefined ? '' : extname(file).toLowerCase();
  return ext === '.dot' || ext === '.gv' ? 'dot' : ext === '.mmd' || ext === '.mermaid' ? 'mermaid' : 'svg';
}

/** A file that exists, or a name that looks like one (so a missing network file is reported as such). */
function isNetworkFile(target: string): boolean {
  if (/\.ya?ml$/i.test(target)) return true;
  try {
    return statSync(target).isFile();
  } catch {
    return false;
  }
}

async function networkModel(file: string, nodesFile: string | undefined): Promise<GraphModel> {
  const { network } = await loadNetwork(file, { nodesFile });
  return graphModel(network, network.nodes.length > 0 ? place(network) : undefined);
}

function runModel(ref: string, flags: GraphFlags): GraphModel {
  if (flags.nodes !== undefined) {
    throw new MarveloError('MRV_GRAPH_INPUT', '--nodes applies to a network file, not to a run (a run is drawn where it ran)', { hint: `drop --nodes, or give a network file instead of '${ref}'` });
  }
  const dir = readingDir(flags.runsDir);
  const record = readRun(dir, resolveRunId(dir, ref));
  return recordModel(record);
}

/** A finished run as its record keeps it: where each job ran and each pipe's final counts. */
export function recordModel(record: RunRecord): GraphModel {
  const config = record.config;
  if (config === undefined) {
    throw new MarveloError('MRV_GRAPH_INPUT', `run ${record.id} ended before its network file loaded: there is no network to draw`, {
      hint: '`marvelo runs show ' + record.id + '` shows why it failed',
    });
  }
  const network = { name: config.name, jobs: config.jobs, pipes: Object.fromEntries(config.pipes.map((p) => [p.name, p])), nodes: config.nodes };
  return graphModel(network, record.placement, record.summary?.pipes);
}

function writeFile(path: string, text: string): void {
  try {
    writeFileSync(path, text);
  } catch (e) {
    throw new MarveloError('MRV_GRAPH_INPUT', `cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, { hint: 'give -o a file in a folder that exists and can be written' });
  }
}
