import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { MarveloError } from '../errors.js';
import { packageRoot } from '../paths.js';
import { marveloSpec, type MarveloSpec } from './marvelo-spec.js';
import { renderTemplate, templateDir } from './template.js';

export interface InitOptions {
  /** How the project's package.json names marvelo (see marveloSpec). */
  marvelo?: string | undefined;
  cwd?: string;
}

export interface InitResult {
  /** The project folder, absolute. */
  dir: string;
  /** The package (and network) name. */
  name: string;
  /** The files written, relative to `dir`, sorted. */
  files: string[];
  marvelo: MarveloSpec;
}

/** The tools the new project's scripts run, at the versions marvelo itself is built and tested with. */
const TOOLS = { 'types-node': '@types/node', typescript: 'typescript', vitest: 'vitest' } as const;

/**
 * Writes a new project into `folder` (created if missing): a network of a source, a connector and a sink
 * in jobs/, their tests, package.json, tsconfig.json, .gitignore and README.md. Writes nothing if any of
 * these files is already there.
 */
export function initProject(folder: string | undefined, options: InitOptions = {}): InitResult {
  const cwd = options.cwd ?? process.cwd();
  const dir = resolve(cwd, folder ?? '.');
  if (existsSync(dir) && !statSync(dir).isDirectory()) {
    throw new MarveloError('MRV_INIT_CONFLICT', `cannot create a project in ${dir}: it is a file, not a folder`, {
      hint: 'give a new or empty folder: marvelo init <folder>',
    });
  }
  const name = projectName(basename(dir));
  const marvelo = marveloSpec(options.marvelo, dir, cwd);
  const files = renderTemplate(templateDir('project'), { name, marvelo: marvelo.spec, ...toolVersions() });

  const conflicts = [...new Set(files.flatMap((f) => occupant(dir, f.path) ?? []))];
  if (conflicts.length > 0) {
    throw new MarveloError(
      'MRV_INIT_CONFLICT',
      `cannot create a project in ${dir}: ${conflicts.length === 1 ? 'this file is' : 'these files are'} already there: ${conflicts.join(', ')}`,
      { hint: 'marvelo init writes into a new or empty folder (marvelo init <folder>); move these files away, or choose another folder' },
    );
  }
  for (const file of files) {
    const target = join(dir, file.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.text, { flag: 'wx' });
  }
  return { dir, name, files: files.map((f) => f.path), marvelo };
}

/** What is in the way of writing `path` under `dir`: the file itself, or a file where a folder of its path goes. */
function occupant(dir: string, path: string): string | undefined {
  const parts = path.split('/');
  for (let i = 1; i < parts.length; i++) {
    const folder = parts.slice(0, i).join('/');
    if (existsSync(join(dir, folder)) && !statSync(join(dir, folder)).isDirectory()) return folder;
  }
  return existsSync(join(dir, path)) ? path : undefined;
}

/** A valid npm package name (and network name) from a folder name. */
export function projectName(folderName: string): string {
  const name = folderName
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[._-]+|[._-]+$/g, '')
    .slice(0, 214);
  return name === '' ? 'marvelo-project' : name;
}

function toolVersions(): Record<keyof typeof TOOLS, string> {
  const manifest = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as {
    devDependencies?: Record<string, string>;
  };
  const versions = {} as Record<keyof typeof TOOLS, string>;
  for (const [key, pkg] of Object.entries(TOOLS) as [keyof typeof TOOLS, string][]) {
    const version = manifest.devDependencies?.[pkg];
    if (version === undefined) throw new Error(`marvelo's package.json has no devDependencies.${pkg}`);
    versions[key] = version;
  }
  return versions;
}
