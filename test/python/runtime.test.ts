import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { hasPython, python } from './helpers.js';

const PY_DIR = fileURLToPath(new URL('./py', import.meta.url));
const PY_TESTS = readdirSync(new URL('./py', import.meta.url)).filter((f) => /^test_.*\.py$/.test(f));

describe.skipIf(!hasPython)('python jobs - the runtime and the fission package, by their Python unit tests', () => {
  it.each(PY_TESTS)('%s passes', (file) => {
    const r = python(['-W', 'error', '-m', 'unittest', 'discover', '-v', '-s', PY_DIR, '-p', file]);
    expect(r.stderr).toMatch(/\nOK\s*$/);
    expect(r.status).toBe(0);
  });
});
