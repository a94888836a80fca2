import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { splitModuleRef } from '../config/codec.js';
import { MarveloError } from '../errors.js';

/**
 * The `uses:` of the job a test names: `builtin:<name>` as it is; a module path (absolute, a file URL,
 * or relative to process.cwd()) with an optional #Export, made absolute; `python:<file>#Class` the
 * same way, its file made absolute.
 */
export function usesOf(ref: string): string {
  if (ref.startsWith('builtin:')) return ref;
  if (ref.startsWith('python:')) return `python:${usesOf(ref.slice('python:'.length))}`;
  const { file, exportName } = splitModuleRef(ref);
  const path = file.startsWith('file:') ? fileURLToPath(file) : isAbsolute(file) ? file : resolve(process.cwd(), file);
  if (!existsSync(path)) {
    throw new MarveloError('MRV_TEST_HARNESS', `job module ${file} does not exist (looked for ${path})`, {
      hint: 'give the module as an absolute path, a file URL (new URL(\'./job.ts\', import.meta.url)), or a path relative to the current directory',
    });
  }
  return exportName === 'default' && !ref.includes('#') ? path : `${path}#${exportName}`;
}
