/** `resources:` of a job and `capacity:` of a node -> Resources, each bad quantity a located error. */
import { MarveloError, type SourceLocation } from '../errors.js';
import { parseBytes, parseCpu } from './quantity.js';
import { quoted } from './shown.js';
import type { Resources } from './types.js';

export interface RawResources {
  cpu?: string | number;
  memory?: string | number;
}

export interface ResourceContext {
  /** "job 'a' resources" or "node 'pi-1' capacity": who asks or offers. */
  owner: string;
  /** Where the value of `cpu` or `memory` is written. */
  at: (key: 'cpu' | 'memory') => SourceLocation;
  job?: string;
}

export function resolveResources(raw: RawResources | undefined, ctx: ResourceContext, errors: MarveloError[]): Resources {
  const out: Resources = {};
  if (raw?.cpu !== undefined) {
    out.cpu = String(raw.cpu);
    const cpu = parseCpu(raw.cpu);
    if (cpu.ok) out.cpuMillis = cpu.value;
    else errors.push(quantityError(ctx, 'cpu', out.cpu, cpu.reason, 'CPUs as a Kubernetes quantity, e.g. cpu: "500m" (half a CPU), cpu: 2 or cpu: 1.5'));
  }
  if (raw?.memory !== undefined) {
    out.memory = String(raw.memory);
    const memory = parseBytes(raw.memory);
    if (memory.ok) out.memoryBytes = memory.value;
    else errors.push(quantityError(ctx, 'memory', out.memory, memory.reason, 'bytes as a Kubernetes quantity, e.g. memory: 512Mi, 2Gi, 1G or 1000000 (suffixes are case-sensitive)'));
  }
  return out;
}

function quantityError(ctx: ResourceContext, key: 'cpu' | 'memory', value: string, reason: string, expects: string): MarveloError {
  return new MarveloError('MRV_CONFIG_SCHEMA', `${ctx.owner}: ${key} ${quoted(value)} is ${reason === 'not a quantity' ? 'not a quantity' : `refused: ${reason}`}`, {
    where: ctx.at(key),
    job: ctx.job,
    hint: `give ${expects}`,
  });
}
