/**
 * Compiles the example C programs of this folder (*.c) into ./bin/ with the system compiler
 * ($CC, default cc), skipping programs that are newer than their source. `npm run build:examples`
 * runs it, so does the test suite before its tests, and networks/executables.yaml names it as the
 * `build:` of its C program.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
export const BIN = join(HERE, 'bin');

/** Returns the programs built or already up to date; throws with the compiler's output on failure. */
export function buildExamples({ log = () => {} } = {}) {
  const cc = process.env.CC || 'cc';
  mkdirSync(BIN, { recursive: true });
  const built = [];
  for (const source of readdirSync(HERE).filter((f) => f.endsWith('.c'))) {
    const from = join(HERE, source);
    const to = join(BIN, basename(source, '.c'));
    built.push(to);
    if (isNewer(to, from)) continue;
    log(`${cc} -O2 -o ${to} ${from}`);
    // Compile beside, then rename: a test run in parallel never sees a half-written program.
    const tmp = `${to}.${process.pid}.tmp`;
    const r = spawnSync(cc, ['-O2', '-Wall', '-o', tmp, from], { encoding: 'utf8' });
    if (r.error || r.status !== 0) {
      rmSync(tmp, { force: true });
      throw new Error(`cannot compile ${from} with ${cc}: ${r.error ? r.error.message : r.stderr.trim()}`);
    }
    renameSync(tmp, to);
  }
  return built;
}

function isNewer(target, source) {
  try {
    return statSync(target).mtimeMs >= statSync(source).mtimeMs;
  } catch {
    return false;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    const built = buildExamples({ log: (line) => console.log(line) });
    console.log(`example programs in ${BIN}: ${built.map((f) => basename(f)).join(', ')}`);
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
}
