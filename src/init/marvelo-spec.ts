import { existsSync, realpathSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { MarveloError } from '../errors.js';
import { packageRoot } from '../paths.js';
import { packageVersion } from '../cli/version.js';

/** How a new project's package.json names marvelo, and why (for the user). */
export interface MarveloSpec {
  /** The version range or location written under dependencies.marvelo. */
  spec: string;
  /** Where it came from, in words. */
  origin: string;
}

/**
 * The marvelo a new project in `projectDir` depends on: `given` (a version, range or other npm spec; a
 * path to a folder or tarball becomes a `file:` spec relative to the project), else this marvelo itself:
 * its folder when it runs from a checkout (outside any node_modules), else its version.
 */
export function marveloSpec(given: string | undefined, projectDir: string, cwd: string = process.cwd()): MarveloSpec {
  if (given !== undefined) {
    const path = localPath(given);
    if (path === undefined) return { spec: given, origin: 'as given with --marvelo' };
    const absolute = resolve(cwd, path);
    if (!existsSync(absolute)) {
      throw new MarveloError('MRV_CLI_OPTION', `--marvelo ${given}: there is no file or folder ${absolute}`, {
        hint: 'give the path of a marvelo tarball (npm pack makes one) or checkout, or an npm version spec such as ^0.1.0',
      });
    }
    return { spec: fileSpec(projectDir, absolute), origin: `${absolute}, as given with --marvelo` };
  }
  const root = realpathSync(packageRoot());
  if (root.split(sep).includes('node_modules')) {
    return {
      spec: `^${packageVersion()}`,
      origin: 'the version of this marvelo; if your registry has no marvelo, give its tarball or folder with --marvelo <spec>',
    };
  }
  return { spec: fileSpec(projectDir, root), origin: `this marvelo's own folder ${root}` };
}

/** The path in a spec that names a local folder or tarball, else undefined. */
function localPath(spec: string): string | undefined {
  if (spec.startsWith('file:')) return spec.slice('file:'.length);
  if (/^\.{0,2}[/\\]/.test(spec) || /^\.{1,2}$/.test(spec) || /\.(tgz|tar\.gz|tar)$/.test(spec)) return spec;
  return undefined;
}

/** `file:` and the path from the project to `target`: relative when it is close by (as npm writes it), else absolute. */
function fileSpec(projectDir: string, target: string): string {
  const rel = relative(resolve(projectDir), target);
  if (rel.startsWith(`..${sep}..${sep}`) || rel === `..${sep}..`) return `file:${target}`;
  return `file:${rel === '' ? '.' : rel.split(sep).join('/')}`;
}
