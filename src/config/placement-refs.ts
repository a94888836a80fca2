/**
 * Jobs may only name groups and default nodes that exist. Checked only when the file lists nodes: without
 * nodes every job runs on this machine and placement settings are inert.
 */
import { MarveloError, type SourceLocation } from '../errors.js';
import type { RawJob } from './raw.js';
import type { YamlSource } from './source.js';
import { didYouMean } from './suggest.js';
import type { JobSpec, NodeSpec } from './types.js';

/** Groups that exist without any node declaring them. */
export const BUILTIN_GROUPS = ['ALL', 'LOCAL'] as const;

export function checkPlacementRefs(jobs: JobSpec[], rawJobs: RawJob[], nodes: NodeSpec[], src: YamlSource): MarveloError[] {
  if (nodes.length === 0) return [];
  const groups = new Set<string>([...BUILTIN_GROUPS, ...nodes.flatMap((n) => n.groups)]);
  const nodeNames = nodes.map((n) => n.name);
  const errors: MarveloError[] = [];
  jobs.forEach((job, i) => {
    const raw = rawJobs[i]!;
    const fromClass = (key: string) => (raw[key as keyof RawJob] === undefined ? ' (from the class)' : '');
    job.groups.forEach((group, g) => {
      if (groups.has(group)) return;
      errors.push(
        new MarveloError('MRV_CONFIG_GRAPH', `job '${job.name}' asks for group '${group}'${fromClass('groups')}, but no node is in that group`, {
          where: groupAt(raw, i, g, src),
          job: job.name,
          hint: `${didYouMean(group, groups)}known groups: ${[...groups].join(', ')}; or add '${group}' to a node's groups`,
        }),
      );
    });
    if (job.defaultNode !== undefined && !nodes.some((n) => n.name === job.defaultNode || n.host === job.defaultNode)) {
      errors.push(
        new MarveloError('MRV_CONFIG_GRAPH', `job '${job.name}' names default_node '${job.defaultNode}'${fromClass('default_node')}, but no node has that name or host`, {
          where: src.valueAt(raw.default_node !== undefined ? ['jobs', i, 'default_node'] : ['jobs', i, 'uses']),
          job: job.name,
          hint: `${didYouMean(job.defaultNode, nodeNames)}known nodes: ${nodeNames.join(', ')}`,
        }),
      );
    }
  });
  return errors;
}

/** A job's default node as a node name (the file may name it by host). */
export function defaultNodeName(job: JobSpec, nodes: NodeSpec[]): string | undefined {
  if (job.defaultNode === undefined) return undefined;
  return nodes.find((n) => n.name === job.defaultNode || n.host === job.defaultNode)?.name ?? job.defaultNode;
}

function groupAt(raw: RawJob, jobIndex: number, g: number, src: YamlSource): SourceLocation {
  if (raw.groups === undefined) return src.valueAt(['jobs', jobIndex, 'uses']);
  return src.valueAt(typeof raw.groups === 'string' ? ['jobs', jobIndex, 'groups'] : ['jobs', jobIndex, 'groups', g]);
}
