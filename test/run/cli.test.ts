import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, processesTagged, ROOT, runCli } from '../helpers/cli.js';

const BAD = 'test/fixtures/config/networks/errors/unknown-key.yaml';
const MODULES_FAIL = 'test/fixtures/config/networks/errors/module-fails.yaml';

describe('cli - validate and schema', () => {
  it('--version prints the version of the package', async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const r = await runCli([flag]);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`${version}\n`);
    }
  });

  it('validate: a good network exits 0 and says what it found', async () => {
    const r = await runCli(['validate', 'networks/demo.yaml']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/networks\/demo\.yaml: ok \(6 jobs, 5 pipes\)/);
  });

  it('validate: a bad network exits 1 with file:line:col, code and hint, and no stack trace', async () => {
    const r = await runCli(['validate', BAD]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/unknown-key\.yaml:4:5: MRV_CONFIG_SCHEMA unknown key 'output' in job 'source'\n  hint: did you mean 'outputs'\?/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('validate --json reports every error with its position', async () => {
    const r = await runCli(['validate', BAD, '--json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.ok).toBe(false);
    expect(out.errors[0]).toMatchObject({ code: 'MRV_CONFIG_SCHEMA', line: 4, col: 5 });
  });

  it('schema prints a JSON Schema of the network file', async () => {
    const r = await runCli(['schema']);
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.stdout);
    expect(schema.$schema).toMatch(/json-schema/);
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['jobs', 'pipes', 'nodes']));
  });

  it('run: an invalid network starts nothing and exits 1 without a stack trace', async () => {
    const r = await runCli(['run', BAD]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/MRV_CONFIG_SCHEMA/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(processesTagged(r.tag)).toEqual([]);
  });

  it('run: a node that cannot be reached is named in a coded error, and no worker is left', async () => {
    const r = await runCli(['run', fixture('remote.yaml')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/MRV_SSH_UNREACHABLE .*'pi-1'.*127\.0\.0\.1:1/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(processesTagged(r.tag)).toEqual([]);
  });

  // Workers start once the file has passed its schema, while the job modules are bundled and checked:
  // when those checks fail, the workers started for them must not outlive the run.
  it('run: modules that fail their checks stop the workers already started for them', async () => {
    const r = await runCli(['run', MODULES_FAIL]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/MRV_CONFIG_MODULE job 'a': module \S+throws\.ts threw while loading/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(processesTagged(r.tag)).toEqual([]);
  });
});
