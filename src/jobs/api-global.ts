/**
 * Job bundles do not carry their own copy of the runtime: esbuild maps `import ... from 'marvelo'`
 * to a shim that reads this global, so `instanceof ScriptJob` holds in the process that loads them
 * (the worker, or the client when it inspects a job class).
 */
import { ScriptJob, isScriptJobClass } from './script-job.js';
import { ExecutableJob, MARVELOJob, isExecutableJobClass } from './executable-job.js';
import { out, Outputs } from './outputs.js';
import { Head } from '../sync/head.js';
import { MarveloError } from '../errors.js';

export const API_GLOBAL = Symbol.for('marvelo.api');

const api = { ScriptJob, ExecutableJob, MARVELOJob, out, Outputs, Head, MarveloError, isScriptJobClass, isExecutableJobClass } as const;
export type RuntimeApi = typeof api;

/** Names a job module may import from 'marvelo' at run time. */
export const API_EXPORTS = Object.keys(api) as (keyof RuntimeApi)[];

export function installApiGlobal(): void {
  (globalThis as Record<symbol, unknown>)[API_GLOBAL] = api;
}

/** Source of the module that stands in for 'marvelo' inside a bundle. */
export function apiShimSource(): string {
  const lines = [
    `const api = globalThis[Symbol.for('marvelo.api')];`,
    `if (!api) throw new Error('marvelo job bundle loaded outside a marvelo worker');`,
  ];
  for (const name of API_EXPORTS) lines.push(`export const ${name} = api.${name};`);
  return lines.join('\n');
}
