/** Shared by the python-job tests: fixture paths, a scratch folder, and python3 itself. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { ROOT } from '../helpers/cli.js';

export const PY_FIXTURES = join(ROOT, 'test', 'fixtures', 'python');
export const RUNTIME = join(ROOT, 'python');

export function pyFixture(...parts: string[]): string {
  return join(PY_FIXTURES, ...parts);
}

/** python3 3.8+ is on PATH (CI has it); tests skip with a reason otherwise. */
export const hasPython = (() => {
  const r = spawnSync('python3', ['-c', 'import sys; sys.exit(0 if sys.version_info >= (3, 8) else 1)']);
  return r.status === 0;
})();

/** A working folder of the test's own (where a CSVSinkJob's relative path lands), removed when it ends. */
export function scratchDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'marvelo-python-test-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Runs python3 with marvelo's python/ folder first on sys.path. */
export function python(args: string[], input?: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('python3', ['-B', ...args], {
    cwd: RUNTIME,
    input,
    maxBuffer: 64 * 1024 * 1024,
    encoding: 'utf8',
    env: { ...process.env, PYTHONPATH: RUNTIME, PYTHONDONTWRITEBYTECODE: '1' },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
