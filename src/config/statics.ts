/** The class attributes of the original (GROUPS, MAX_QUEUE, ...) read from a job class and checked. */
import type { PortType } from '../jobs/ports.js';
import { invalidPort } from './port-match.js';

export interface JobStatics {
  groups?: string[];
  defaultNode?: string;
  maxQueue?: number;
  head?: boolean;
  headSize?: number;
  dependencies?: string[];
  inputs?: PortType[];
  outputs?: PortType[];
  /** static STATELESS: a restart of the job loses nothing. */
  stateless?: boolean;
  /** The class has a seek(sqn) method (a source that can resume its stream). */
  seekable?: boolean;
}

/** The statics every job class may have (ScriptJob and ExecutableJob classes alike), unchecked. */
export interface JobClassStatics {
  GROUPS?: unknown;
  DEFAULT_NODE?: unknown;
  MAX_QUEUE?: unknown;
  HEAD?: unknown;
  HEAD_SIZE?: unknown;
  DEPENDENCIES?: unknown;
  INPUTS?: unknown;
  OUTPUTS?: unknown;
  /** Read by the worker (ScriptJob.BORROW, ScriptJob.FRESH_OUTPUTS); only checked here. */
  BORROW?: unknown;
  FRESH_OUTPUTS?: unknown;
  STATELESS?: unknown;
  prototype?: unknown;
}

export function readStatics(cls: JobClassStatics): { statics: JobStatics; problems: string[] } {
  const problems: string[] = [];
  const statics: JobStatics = {};
  const nameList = (key: 'GROUPS' | 'DEPENDENCIES'): string[] | undefined => {
    const v: unknown = cls[key];
    if (v === undefined) return undefined;
    if (typeof v === 'string' && v.length > 0) return [v];
    if (Array.isArray(v) && v.every((s) => typeof s === 'string' && s.length > 0)) return v as string[];
    problems.push(`static ${key} must be a name or a list of names, not ${JSON.stringify(v)}`);
    return undefined;
  };
  const groups = nameList('GROUPS');
  if (groups) statics.groups = groups;
  const deps = nameList('DEPENDENCIES');
  if (deps) statics.dependencies = deps;

  if (cls.DEFAULT_NODE !== undefined) {
    if (typeof cls.DEFAULT_NODE === 'string' && cls.DEFAULT_NODE.length > 0) statics.defaultNode = cls.DEFAULT_NODE;
    else problems.push(`static DEFAULT_NODE must be a node name, not ${JSON.stringify(cls.DEFAULT_NODE)}`);
  }
  if (cls.MAX_QUEUE !== undefined) {
    if (typeof cls.MAX_QUEUE === 'number' && Number.isInteger(cls.MAX_QUEUE) && cls.MAX_QUEUE >= 1) statics.maxQueue = cls.MAX_QUEUE;
    else problems.push(`static MAX_QUEUE must be an integer >= 1, not ${JSON.stringify(cls.MAX_QUEUE)}`);
  }
  if (cls.HEAD !== undefined) {
    if (typeof cls.HEAD === 'boolean') statics.head = cls.HEAD;
    else problems.push(`static HEAD must be true or false, not ${JSON.stringify(cls.HEAD)}`);
  }
  if (cls.HEAD_SIZE !== undefined) {
    if (typeof cls.HEAD_SIZE === 'number' && Number.isInteger(cls.HEAD_SIZE) && cls.HEAD_SIZE >= 1 && cls.HEAD_SIZE <= 4) statics.headSize = cls.HEAD_SIZE;
    else problems.push(`static HEAD_SIZE must be an integer between 1 and 4, not ${JSON.stringify(cls.HEAD_SIZE)}`);
  }
  if (cls.STATELESS !== undefined) {
    if (typeof cls.STATELESS === 'boolean') statics.stateless = cls.STATELESS;
    else problems.push(`static STATELESS must be true or false, not ${JSON.stringify(cls.STATELESS)}`);
  }
  const proto = cls.prototype as { seek?: unknown } | undefined;
  if (typeof proto?.seek === 'function') statics.seekable = true;
  for (const key of ['BORROW', 'FRESH_OUTPUTS'] as const) {
    const v: unknown = cls[key];
    if (v !== undefined && typeof v !== 'boolean') problems.push(`static ${key} must be true or false, not ${JSON.stringify(v)}`);
  }
  for (const [key, field] of [['INPUTS', 'inputs'], ['OUTPUTS', 'outputs']] as const) {
    const ports: unknown = cls[key];
    if (ports === undefined) continue;
    if (!Array.isArray(ports)) {
      problems.push(`static ${key} must be a list of port types, not ${JSON.stringify(ports)}`);
      continue;
    }
    const bad = ports.map((p, i) => [i, invalidPort(p)] as const).filter(([, why]) => why !== undefined);
    for (const [i, why] of bad) problems.push(`static ${key}[${i}]: ${why}`);
    if (bad.length === 0) statics[field] = ports as PortType[];
  }
  return { statics, problems };
}
