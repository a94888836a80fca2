import { existsSync } from 'node:fs';
import { basename, isAbsolute, resolve } from 'node:path';
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

/**
 * The name a tested job gets unless the test gives one: its export (a named one, or a python class),
 * else its module's file name, else its builtin's name, as the network file allows names; 'job' when
 * nothing of it fits.
 */
export function defaultJobName(ref: string): string {
  const bare = ref.replace(/^(builtin|python):/, '');
  const hash = bare.lastIndexOf('#');
  const candidate = hash >= 0 ? bare.slice(hash + 1) : basename(bare.startsWith('file:') ? fileURLToPath(bare) : bare).replace(/\.[^.]*$/, '');
  return /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(candidate) ? candidate : 'job';
}
