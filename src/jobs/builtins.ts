import { join } from 'node:path';
import { packageRoot } from '../paths.js';
import type { ModuleRef } from '../config/types.js';

/** `uses: builtin:<name>` -> the module of that job, bundled like any user job (docs/jobs.md). */
const BUILTINS: Record<string, string> = {
  clock: 'clock.ts',
  console: 'console.ts',
  'csv-sink': 'csv-sink.ts',
  distribute: 'distribute.ts',
  forward: 'forward.ts',
  logging: 'logging.ts',
  'logging-sink': 'logging-sink.ts',
};

export function builtinNames(): string[] {
  return Object.keys(BUILTINS).sort();
}

export function resolveBuiltin(name: string): ModuleRef | undefined {
  const file = BUILTINS[name];
  if (file === undefined) return undefined;
  return { file: join(packageRoot(), 'src', 'jobs', 'builtin', file), exportName: 'default' };
}
