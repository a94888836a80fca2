/**
 * What a user can do about an import esbuild could not resolve. esbuild's own note ("mark the path as
 * external") names a bundler option that marvelo does not expose: a job's imports are always bundled in.
 */
import { dirname, isAbsolute, resolve } from 'node:path';

export interface ImportAdvice {
  message: string;
  hint: string;
}

const UNRESOLVED = /^Could not resolve "(.+)"$/;

/** Advice for esbuild's "Could not resolve" error; undefined for other errors. */
export function unresolvedImportAdvice(text: string, importer: string): ImportAdvice | undefined {
  const spec = UNRESOLVED.exec(text)?.[1];
  if (spec === undefined) return undefined;
  if (spec.startsWith('.') || isAbsolute(spec)) {
    const looked = resolve(dirname(importer), spec);
    return {
      message: `it imports '${spec}', which does not exist (looked for ${looked}, with and without .ts/.js)`,
      hint: `fix the path: a relative import is relative to the importing file's folder ${dirname(importer)}`,
    };
  }
  const pkg = packageName(spec);
  return {
    message: `it imports '${spec}', but package '${pkg}' is not installed where ${importer} can find it`,
    hint:
      `install it in the module's folder or a folder above it (npm install ${pkg}), or fix the name; ` +
      `marvelo bundles every package a job imports into the job, so the workers need nothing installed`,
  };
}

/** `lodash/fp` -> `lodash`, `@scope/pkg/sub` -> `@scope/pkg`. */
function packageName(spec: string): string {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** esbuild's notes that still help (a subpath a package does not export, ...), without the "external" advice. */
export function usefulNotes(notes: string[]): string[] {
  return notes.filter((n) => n !== '' && !/\bexternal\b/.test(n));
}
