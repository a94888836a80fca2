import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../paths.js';

/** The page's files, served by the runtime itself (the page needs no internet). */
const ASSETS: Record<string, string> = {
  'app.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
  'index.html': 'text/html; charset=utf-8',
};

const cache = new Map<string, Buffer>();

/** An asset's bytes and type; undefined for a name that is not one. Read once, from the installed package. */
export function asset(name: string): { body: Buffer; type: string } | undefined {
  const type = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
  if (type === undefined) return undefined;
  let body = cache.get(name);
  if (!body) cache.set(name, (body = readFileSync(join(packageRoot(), 'src', 'view', 'web', 'assets', name))));
  return { body, type };
}
