/**
 * Builds dist/: the runtime (CLI, worker, library entry) and the benchmarks, with esbuild.
 *
 * The runtime's npm dependencies are bundled in, so starting the CLI or a worker resolves no packages
 * and runs no CommonJS export lexer (Node does both for every package an ES module imports): the CLI
 * starts ~30 ms sooner on the reference machine (docs/performance.md, "startup"). esbuild stays
 * external: it runs its own native binary, and src/launch/bundle.ts loads it with require() when a job
 * is bundled. So does ssh2 (its native crypto), loaded only by the commands that use SSH.
 */
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

// Bundled CommonJS code calls require() for Node's built-ins; an ES module has none, so give it one.
const REQUIRE_BANNER =
  "import { createRequire as __marveloCreateRequire } from 'node:module';\n" +
  'const require = __marveloCreateRequire(import.meta.url);';

const common = { bundle: true, platform: 'node', target: 'node20', format: 'esm', sourcemap: true, logLevel: 'warning' };

rmSync('dist', { recursive: true, force: true });
await build({
  ...common,
  entryPoints: ['src/cli/main.ts', 'src/worker/main.ts', 'src/index.ts'],
  splitting: true,
  outbase: 'src',
  outdir: 'dist',
  // ssh2 loads its optional native crypto (.node files) with require(), which a bundle cannot hold.
  external: ['esbuild', 'ssh2'],
  banner: { js: REQUIRE_BANNER },
});
// The benchmarks and their ceilings import their packages as they are installed.
await build({
  ...common,
  entryPoints: ['bench/main.ts', 'bench/soak/main.ts', 'bench/ceiling/main.ts', 'bench/profile/main.ts', 'bench/profile/pipeline.ts', 'bench/profile/preload.ts'],
  outbase: 'bench',
  outdir: 'dist/bench',
  packages: 'external',
});
