/**
 * Bundles a job (or codec) module with everything it imports into one ESM file that needs only Node.js:
 * npm packages are bundled in, `node:` built-ins stay external, and 'marvelo' becomes a shim that reads
 * the runtime's API global (so `instanceof ScriptJob` holds wherever the bundle is loaded).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { BuildFailure, Message, Plugin } from 'esbuild';
import { MarveloError } from '../errors.js';
import { apiShimSource } from '../jobs/api-global.js';
import { unresolvedImportAdvice, usefulNotes } from './import-advice.js';

export interface Bundle {
  /** Absolute path of the bundled file: `${cacheDir}/${hash}.mjs`. */
  file: string;
  /** sha256 of the bundle's content, hex, first 16 characters. */
  hash: string;
}

const API_NAMESPACE = 'marvelo-api';

/** `import ... from 'marvelo'` (or 'marvelo/...') inside a job -> the API shim. */
const marveloApiPlugin: Plugin = {
  name: 'marvelo-api',
  setup(b) {
    b.onResolve({ filter: /^marvelo(\/.*)?$/ }, (args) => ({ path: args.path, namespace: API_NAMESPACE }));
    b.onLoad({ filter: /.*/, namespace: API_NAMESPACE }, () => ({ contents: apiShimSource(), loader: 'js' }));
  },
};

// Bundled CommonJS packages call require() for built-ins; ESM has none, so give the bundle one.
const REQUIRE_BANNER =
  "import { createRequire as __marveloCreateRequire } from 'node:module';\n" +
  'const require = __marveloCreateRequire(import.meta.url);';

/**
 * esbuild is a CommonJS package: require() loads it in ~17 ms, an ES import in 50-70 ms (Node runs its
 * CommonJS export lexer over it). Loaded on the first bundle, so commands that bundle nothing skip it.
 */
let esbuild: typeof import('esbuild') | undefined;
function loadEsbuild(): typeof import('esbuild') {
  return (esbuild ??= createRequire(import.meta.url)('esbuild') as typeof import('esbuild'));
}

export async function bundleModule(entry: string, cacheDir: string): Promise<Bundle> {
  const entryFile = resolve(entry);
  const code = await buildSource(entryFile);
  const hash = createHash('sha256').update(code).digest('hex').slice(0, 16);
  const file = join(resolve(cacheDir), `${hash}.mjs`);
  // Reuse only an identical file: a shared temp folder may hold a stale, partial or planted one.
  if (!(await holds(file, code))) await writeAtomically(file, code);
  return { file, hash };
}


async function buildSource(entryFile: string): Promise<string> {
  // The output path only anchors the source map's relative paths; nothing is written there.
  const outfile = join(dirname(entryFile), '__marvelo_bundle__.mjs');
  const workingDir = dirname(entryFile);
  let result;
  try {
    result = await loadEsbuild().build({
      // Relative to the module, so the output (and its hash) does not depend on the client's cwd.
      absWorkingDir: workingDir,
      entryPoints: [entryFile],
      outfile,
      bundle: true,
      write: false,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      sourcemap: 'external',
      sourcesContent: true,
      banner: { js: REQUIRE_BANNER },
      plugins: [marveloApiPlugin],
      logLevel: 'silent',
    });
  } catch (e) {
    throw buildError(entryFile, workingDir, e);
  }
  const js = result.outputFiles.find((f) => f.path.endsWith('.mjs'));
  const map = result.outputFiles.find((f) => f.path.endsWith('.map'));
  if (js === undefined || map === undefined) {
    throw new MarveloError('MRV_CONFIG_MODULE', `esbuild produced no output for ${entryFile}`, {
      where: { file: entryFile, line: 1, col: 1 },
    });
  }
  return withInlineSourceMap(stripSourceMapComment(js.text), map.text, dirname(outfile));
}

/**
 * Built from parts: a tool that loads this module's own source maps (vitest, when it runs the built
 * runtime from a test) cuts every `//# sourceMappingURL=...` it finds in the code, strings included,
 * and the bundles would lose theirs.
 */
const SOURCE_MAP_COMMENT = ['//#', 'sourceMappingURL'].join(' ');

function stripSourceMapComment(code: string): string {
  return code.replace(/\n\/\/# sourceMappingURL=[^\n]*\n?$/, '\n');
}

/**
 * Source paths become absolute file URLs: the bundle runs from a cache folder (on another machine,
 * too), where paths relative to the bundle would point nowhere.
 */
function withInlineSourceMap(code: string, mapText: string, mapDir: string): string {
  const map = JSON.parse(mapText) as { sources: string[] };
  map.sources = map.sources.map((s) => {
    if (s.startsWith(`${API_NAMESPACE}:`)) return s;
    return pathToFileURL(isAbsolute(s) ? s : resolve(mapDir, s)).href;
  });
  const encoded = Buffer.from(JSON.stringify(map)).toString('base64');
  return `${code}${SOURCE_MAP_COMMENT}=data:application/json;base64,${encoded}\n`;
}

async function holds(file: string, content: string): Promise<boolean> {
  try {
    return (await readFile(file, 'utf8')) === content;
  } catch {
    return false;
  }
}

async function writeAtomically(file: string, content: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, content);
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

function isBuildFailure(e: unknown): e is BuildFailure {
  return e instanceof Error && Array.isArray((e as Partial<BuildFailure>).errors);
}

function buildError(entryFile: string, workingDir: string, e: unknown): MarveloError {
  const first: Message | undefined = isBuildFailure(e) ? e.errors[0] : undefined;
  if (first === undefined) {
    return new MarveloError('MRV_CONFIG_MODULE', `cannot bundle ${entryFile}: ${String(e)}`, {
      where: { file: entryFile, line: 1, col: 1 },
      cause: e,
    });
  }
  const loc = first.location;
  const where = loc
    ? { file: resolve(workingDir, loc.file), line: loc.line, col: loc.column + 1 }
    : { file: entryFile, line: 1, col: 1 };
  const advice = unresolvedImportAdvice(first.text, where.file);
  if (advice !== undefined) {
    return new MarveloError('MRV_CONFIG_MODULE', `cannot bundle ${entryFile}: ${advice.message}`, { where, hint: advice.hint, cause: e });
  }
  const notes = usefulNotes(first.notes.map((n) => n.text));
  return new MarveloError('MRV_CONFIG_MODULE', `cannot bundle ${entryFile}: ${first.text}`, {
    where,
    hint: notes[0] ?? 'fix the module so that it compiles; every file it imports is bundled with it',
    cause: e,
  });
}
