import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from '../helpers/cli.js';

const run = promisify(execFile);

/** What is never copied to pack: installed and built things, and what tests write while they run. */
const NOT_COPIED = new Set(['.git', 'node_modules', 'dist', '.marvelo', 'test-artifacts', 'jobs/exec/bin']);

export interface Packed {
  /** The tarball, as a user gets it from npm pack. */
  tarball: string;
  /** Every path in it (without the leading package/). */
  files: string[];
}

/**
 * `npm pack` of this repository, as its maintainers make a release: prepare runs the build. It packs a
 * copy (sharing node_modules), so the build does not replace dist/ under the tests running beside this one.
 */
export async function packRepository(into: string): Promise<Packed> {
  const copy = mkdtempSync(join(tmpdir(), 'marvelo-pack-'));
  let stdout: string;
  try {
    cpSync(ROOT, copy, { recursive: true, filter: (src) => !NOT_COPIED.has(relative(ROOT, src)) });
    symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
    ({ stdout } = await run('npm', ['pack', '--json', '--pack-destination', into], { cwd: copy, env: cleanEnv(), maxBuffer: 64 << 20 }));
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
  // prepare's output comes first; the JSON report is the last thing printed.
  const report = JSON.parse(stdout.slice(stdout.startsWith('[') ? 0 : stdout.lastIndexOf('\n[') + 1)) as { filename: string; files: { path: string }[] }[];
  const packed = report[0]!;
  return { tarball: join(into, packed.filename), files: packed.files.map((f) => f.path) };
}

/**
 * The environment of a user's shell: without what npm, vitest and this repository's tests set for
 * themselves (npm_config_* would steer the project's npm, VITEST* its vitest, MARVELO_* its runs).
 */
export function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm_|VITEST|MARVELO_|NODE_OPTIONS$|NODE_ENV$|TEST$|INIT_CWD$)/i.test(key)) continue;
    env[key] = value;
  }
  // npm run puts this repository's node_modules/.bin first on PATH; a user's shell has none of it.
  env.PATH = (env.PATH ?? '').split(':').filter((dir) => !dir.includes('node_modules')).join(':');
  delete env.FORCE_COLOR;
  env.NO_COLOR = '1';
  return env;
}
