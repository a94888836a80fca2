import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateNetwork } from '../../src/config/load.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp-dir.js';
import { tempBundleDir } from './helpers.js';

const bundleDir = tempBundleDir();

describe('one validation', () => {
  it('validateNetwork() reports exactly what `marvelo validate` reports, built-in job checks included', async () => {
    const dir = tempDir();
    const file = join(dir, 'net.yaml');
    writeFileSync(file, 'jobs:\n  - { name: tick, uses: "builtin:clock", params: { interval: -1 }, outputs: [p1] }\n  - { name: save, uses: "builtin:csv-sink", inputs: [p1] }\n');
    const api = await validateNetwork(file, { bundleDir });
    expect(api.ok).toBe(false);
    const shown = api.errors.map((e) => ({ code: e.code, message: e.message, line: e.where?.line, job: e.job }));
    expect(shown).toEqual([
      { code: 'MRV_CONFIG_SCHEMA', message: 'builtin:clock params.interval must be a number > 0, not -1', line: 2, job: 'tick' },
      { code: 'MRV_CONFIG_SCHEMA', message: 'builtin:csv-sink needs params.path', line: 3, job: 'save' },
    ]);
    const cli = await runCli(['validate', file, '--json'], { cwd: dir });
    expect(cli.code).toBe(1);
    const printed = (JSON.parse(cli.stdout) as { errors: { code: string; message: string; line: number; job: string }[] }).errors;
    expect(printed.map(({ code, message, line, job }) => ({ code, message, line, job }))).toEqual(shown);
  });
});
