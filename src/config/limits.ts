/**
 * `limits:` of a job, against its `resources:` (requests), as Kubernetes does: a limit without a request
 * is also the request, and a limit below the request is refused (it could never be met).
 */
import { MarveloError, type SourceLocation } from '../errors.js';
import { formatBytes, formatCpu } from './quantity.js';
import type { RawResources } from './resources.js';
import { resolveResources } from './resources.js';
import { named } from './shown.js';
import type { Resources } from './types.js';

export interface LimitsContext {
  job: string;
  /** Where `limits.<key>` is written. */
  at: (key: 'cpu' | 'memory') => SourceLocation;
}

/** Each quantity a limit may set: its key as written, its exact amount, how to show it. */
const QUANTITIES = [
  { key: 'cpu', amount: 'cpuMillis', format: formatCpu },
  { key: 'memory', amount: 'memoryBytes', format: formatBytes },
] as const;

/** The job's limits (undefined without `limits:`), and its requests with every missing one set to its limit. */
export function resolveLimits(
  raw: RawResources | undefined,
  requests: Resources,
  ctx: LimitsContext,
  errors: MarveloError[],
): { limits: Resources | undefined; requests: Resources } {
  if (raw === undefined) return { limits: undefined, requests };
  const limits = resolveResources(raw, { owner: `job ${named(ctx.job)} limits`, at: ctx.at, job: ctx.job }, errors);
  const out: Resources = { ...requests };
  for (const { key, amount, format } of QUANTITIES) {
    const limit = limits[amount];
    if (limit === undefined) continue;
    const request = out[amount];
    if (request === undefined) {
      out[key] = limits[key];
      out[amount] = limit;
    } else if (limit < request) {
      errors.push(belowRequest(ctx, key, format(limit), format(request)));
    }
  }
  return { limits, requests: out };
}

function belowRequest(ctx: LimitsContext, key: 'cpu' | 'memory', limit: string, request: string): MarveloError {
  return new MarveloError('MRV_CONFIG_SCHEMA', `job ${named(ctx.job)} limits: ${key} ${limit} is below its request (resources: ${key} ${request})`, {
    where: ctx.at(key),
    job: ctx.job,
    hint: `a limit is the most the job may use, at least what it asks for: raise limits.${key} or lower resources.${key}`,
  });
}
