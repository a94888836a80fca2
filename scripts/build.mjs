/**
 * Builds dist/: the runtime (CLI, worker, library entry, the marvelo/testing entry) and the benchmarks, with esbuild.
 *
 * The runtime's npm dependencies are bundled in, so starting the CLI or a worker resolves no packages
 * and runs no CommonJS export lexer (Node does both for every package an ES module imports): the CLI
 * starts ~30 ms sooner on the reference machine (docs/performance.md, "startup"). esbuild and ssh2 stay
 * external: esbuild runs its own native binary, and src/launch/bundle.ts loads it with require() when a
 * job is bundled; ssh2 loads its optional native crypto binding by a path relative to itself, and only
 * runs that place jobs on nodes load it (src/launch/registry.ts).
 */
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

// Bundled CommonJS code calls require() for Node's built-ins; an ES module has none, so give it one.
const REQUIRE_BANNER =
  "import { createRequire as __marveloCreateRequire } from 'node:module';\n" +
  'const require = __marveloCreateRequire(import.meta.url);';

const common = { bundle: true, platform: 'node', target: 'node20', format: 'esm', sourcemap: true, logLevel: 'warning' };

rmSync('dist', { recursive: true, force: true });
await build({
  ...common,
  entryPoints: ['src/cli/main.ts', 'src/worker/main.ts', 'src/index.ts', 'src/testing/index.ts'],
  splitting: true,
  outbase: 'src',
  outdir: 'dist',
  external: ['esbuild', 'ssh2'],
  banner: { js: REQUIRE_BANNER },
});
// The worker as one file, with everything it imports: what a remote node runs (src/launch/worker-runtime.ts).
await build({
  ...common,
  sourcemap: false,
  entryPoints: { 'worker-runtime': 'src/worker/main.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  banner: { js: REQUIRE_BANNER },
});
// The declaration files a user's TypeScript reads (package.json "types"): checking a project's jobs then
// needs none of marvelo's own type packages, nor its compiler options.
const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.types.json'], { stdio: 'inherit' });
// The benchmarks and their ceilings import their packages as they are installed.
await build({
  ...common,
  entryPoints: ['bench/main.ts', 'bench/soak/main.ts', 'bench/ceiling/main.ts', 'bench/profile/main.ts', 'bench/profile/pipeline.ts', 'bench/profile/preload.ts'],
  outbase: 'bench',
  outdir: 'dist/bench',
  packages: 'external',
});
