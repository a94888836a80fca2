/**
 * Runs a TypeScript program of examples/ with Node: esbuild compiles it to one ES module in a temporary
 * folder, with its `import ... from 'marvelo'` pointing at this checkout's build (dist/index.js: run
 * `npm run build` first). What comes after the example's path is passed to it; its exit code is ours.
 *
 *   node scripts/run-example.mjs examples/run-from-code.ts networks/demo.yaml
 */
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const LIBRARY = join(ROOT, 'dist', 'index.js');

const [example, ...args] = process.argv.slice(2);
if (example === undefined) {
  console.error('usage: node scripts/run-example.mjs <example.ts> [arguments...]');
  process.exit(2);
}
if (!existsSync(LIBRARY)) {
  console.error(`${LIBRARY} is missing: run npm run build first`);
  process.exit(2);
}

const dir = mkdtempSync(join(tmpdir(), 'marvelo-example-'));
try {
  const out = join(dir, 'example.mjs');
  await build({
    entryPoints: [resolve(example)],
    outfile: out,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    logLevel: 'warning',
    plugins: [
      {
        name: 'marvelo-from-this-checkout',
        setup(b) {
          b.onResolve({ filter: /^marvelo$/ }, () => ({ path: pathToFileURL(LIBRARY).href, external: true }));
        },
      },
    ],
  });
  const child = spawnSync(process.execPath, [out, ...args], { stdio: 'inherit' });
  process.exitCode = child.status ?? 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
