import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

it('works from node:test too: a plain .mjs test file imports marvelo/testing and passes', () => {
  const file = fileURLToPath(new URL('./node-test/scale.mjs', import.meta.url));
  const r = spawnSync(process.execPath, ['--test', '--test-reporter=tap', file], { cwd: ROOT, encoding: 'utf8' });
  expect(r.stdout).toMatch(/^# pass 1$/m);
  expect(r.stdout).toMatch(/^# fail 0$/m);
  expect(r.status).toBe(0);
});
