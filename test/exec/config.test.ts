import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadNetwork } from '../../src/config/load.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { execFixture, expectNoProcessLeft } from './helpers.js';

const bundleDir = mkdtempSync(join(tmpdir(), 'marvelo-exec-config-'));
afterAll(() => rmSync(bundleDir, { recursive: true, force: true }));
// The fixture is a plain file on purpose, whatever a checkout did to its mode.
beforeAll(() => chmodSync(execFixture('not-executable.sh'), 0o644));

const MOVAVG = join(ROOT, 'jobs', 'exec', 'bin', 'movavg');
const INVERT = join(ROOT, 'jobs', 'exec', 'bin', 'invert');

describe('executable jobs - config', () => {
  it('resolves the YAML form: the program relative to the network file, args as text, flags and pass', async () => {
    const { network, bundles } = await loadNetwork(execFixture('c-modes.yaml'), { bundleDir });
    const job = network.jobs.find((j) => j.name === 'g-fd')!;
    expect(job.kind).toBe('executable');
    expect(job.executable).toEqual({
      command: MOVAVG,
      args: ['--length', '4', '--window', '2', '--head'],
      inputFlag: '-i',
      outputFlag: '-o',
      pass: 'fd',
    });
    expect(job.head).toBe(true);
    expect(bundles.has('g-fd')).toBe(false);
  });

  it('resolves the class form from its statics: EXECUTABLE relative to the module, MARVELOJob passes fds', async () => {
    const { network, bundles } = await loadNetwork(execFixture('c-modes.yaml'), { bundleDir });
    const smooth = network.jobs.find((j) => j.name === 'h-class')!;
    expect(smooth.kind).toBe('executable');
    expect(smooth.executable).toEqual({ command: MOVAVG, args: ['--length', '4', '--window', '2'], inputFlag: '-i', outputFlag: '-o', pass: 'path' });
    expect(smooth.head).toBe(false);
    const invert = network.jobs.find((j) => j.name === 'c-class')!;
    expect(invert.executable).toMatchObject({ command: INVERT, args: ['--size', '3', '--head'], pass: 'fd' });
    expect(invert.head).toBe(true);
    // The worker of a class-form executable runs the program: it needs no bundle.
    expect(bundles.has('h-class')).toBe(false);
  });

  it("lets the network file override a class's statics", async () => {
    const { network } = await loadNetwork(execFixture('overrides.yaml'), { bundleDir });
    const job = network.jobs.find((j) => j.name === 'smooth')!;
    expect(job.executable).toEqual({
      command: MOVAVG,
      args: ['--length', '8', '--window', '3'],
      inputFlag: '--in',
      outputFlag: '--out',
      pass: 'fd',
    });
    expect([job.head, job.headSize]).toEqual([true, 2]);
    expect(job.dependencies).toEqual([execFixture('data'), execFixture('data/taps.txt')]);
  });

  it('marvelo validate reports every program and key problem with file:line:col, and nothing starts', async () => {
    const r = await runCli(['validate', 'test/fixtures/exec/config-errors.yaml']);
    expect(r.code).toBe(1);
    const at = (line: number, col: number) => `test/fixtures/exec/config-errors.yaml:${line}:${col}: `;
    expect(r.stderr).toContain(`${at(4, 34)}MRV_CONFIG_MODULE job 'missing': executable ./nothing-here does not exist (looked for ${execFixture('nothing-here')})`);
    expect(r.stderr).toContain(`${at(5, 37)}MRV_CONFIG_MODULE job 'plain-file': executable ./not-executable.sh is not executable`);
    expect(r.stderr).toContain(`hint: make it executable: chmod +x ${execFixture('not-executable.sh')}`);
    expect(r.stderr).toContain(`${at(6, 37)}MRV_CONFIG_MODULE job 'no-command': executable marvelo-no-such-command was not found on PATH`);
    expect(r.stderr).toContain(`${at(7, 31)}MRV_CONFIG_MODULE job 'no-program': class NoProgram has no static EXECUTABLE`);
    expect(r.stderr).toContain(`${at(8, 31)}MRV_CONFIG_MODULE job 'shell-line': class ShellLine: static PARAMETERS must be a list of arguments`);
    expect(r.stderr).toContain(`${at(9, 64)}MRV_CONFIG_SCHEMA job 'script-args': 'args' applies only to executable jobs, and class Take is a ScriptJob`);
    expect(r.stderr).toContain(`${at(10, 49)}MRV_CONFIG_SCHEMA job 'class-params': 'params' does not apply to class Smooth`);
    expect(r.stderr).toMatch(/7 error\(s\)/);
    expectNoProcessLeft(r.tag);
  });

  it('marvelo run refuses the same network before any worker starts', async () => {
    const r = await runCli(['run', 'test/fixtures/exec/config-errors.yaml']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("job 'missing': executable ./nothing-here does not exist");
    expect(r.stderr).toContain("job 'plain-file': executable ./not-executable.sh is not executable");
    expect(r.stdout).not.toMatch(/\|/); // no job printed a line: none ran
    expectNoProcessLeft(r.tag);
  });
});
