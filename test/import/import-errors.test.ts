/** marvelo import's errors: a config.py that raises, a folder that is not a network, no Python, files that exist. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importNetwork } from '../../src/import/index.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp-dir.js';
import { HAS_PYTHON, NO_PYTHON_REASON, projectCopy, readYaml } from './helpers.js';

describe('marvelo import: what it refuses', () => {
  it('a folder without config.py, a file and a missing folder are MRV_IMPORT_FOLDER', async () => {
    const project = projectCopy();
    await expect(importNetwork(join(project, 'not_a_network'))).rejects.toMatchObject({
      code: 'MRV_IMPORT_FOLDER',
      message: expect.stringMatching(/not_a_network is not a MARVELO network: it has no config\.py$/),
    });
    await expect(importNetwork(join(project, 'not_a_network', 'README.txt'))).rejects.toMatchObject({ code: 'MRV_IMPORT_FOLDER', message: expect.stringMatching(/is not a folder$/) });
    await expect(importNetwork(join(project, 'nowhere'))).rejects.toMatchObject({ code: 'MRV_IMPORT_FOLDER', message: expect.stringMatching(/does not exist$/) });
  });

  it('no Python: MRV_IMPORT_PYTHON from the CLI, with no stack trace', async () => {
    const project = projectCopy();
    const r = await runCli(['import', join(project, 'demo_v1')], { env: { MARVELO_PYTHON: join(tempDir(), 'no-python3') } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: MRV_IMPORT_PYTHON cannot start the Python interpreter '.*no-python3' \(ENOENT\), which reads config\.py\n  hint: install Python 3\.8 or newer/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it.skipIf(!HAS_PYTHON)('a config.py that raises: MRV_IMPORT_CONFIG at its line, with the last lines of its traceback', async () => {
    const project = projectCopy();
    const config = join(project, 'broken', 'config.py');
    const r = await runCli(['import', join(project, 'broken')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error: ${config}:8:1: MRV_IMPORT_CONFIG ${config} raised KeyError: 'high'\n`);
    expect(r.stderr).toContain(`    File "${config}", line 8, in <module>\n`);
    expect(r.stderr).toContain('RATES["high"],');
    expect(r.stderr).not.toMatch(/importlib|read_network\.py/);
  });

  it.skipIf(!HAS_PYTHON)('a module config.py imports that raises is named with its own line', async () => {
    const project = projectCopy();
    writeFileSync(join(project, 'demo_v1', 'pipes', 'pipes.py'), 'from fission.core.pipes import PicklePipe\n\nclass ReducePipe(PicklePipe):\n    BLOCK_COUNT = 1 / 0\n');
    await expect(importNetwork(join(project, 'demo_v1'))).rejects.toMatchObject({
      code: 'MRV_IMPORT_CONFIG',
      message: expect.stringContaining('raised ZeroDivisionError: division by zero'),
      where: { file: join(project, 'demo_v1', 'pipes', 'pipes.py'), line: 4 },
    });
  });

  it.skipIf(!HAS_PYTHON)('a job module that does not parse is named at its own line; a missing package gets an install hint', async () => {
    const project = projectCopy();
    const jobs = join(project, 'demo_v1', 'jobs', 'jobs.py');
    writeFileSync(jobs, 'from fission.core.jobs import PythonJob\n\nclass CountJob(PythonJob)\n    pass\n');
    await expect(importNetwork(join(project, 'demo_v1'))).rejects.toMatchObject({
      code: 'MRV_IMPORT_CONFIG',
      message: expect.stringContaining('raised SyntaxError'),
      where: { file: jobs, line: 3 },
    });
    writeFileSync(jobs, 'import no_such_package_here\n');
    await expect(importNetwork(join(project, 'demo_v1'))).rejects.toMatchObject({
      code: 'MRV_IMPORT_CONFIG',
      message: expect.stringContaining("raised ModuleNotFoundError: No module named 'no_such_package_here'"),
      where: { file: jobs, line: 1 },
      hint: expect.stringContaining('pip install no_such_package_here'),
    });
  });

  it.skipIf(!HAS_PYTHON)('files that exist are replaced only with --force', async () => {
    const project = projectCopy();
    const folder = join(project, 'demo_v4');
    writeFileSync(join(folder, 'network.yaml'), 'name: mine\n');
    const r = await runCli(['import', folder]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: MRV_IMPORT_OUTPUT .*demo_v4\/network\.yaml exists already\n  hint: pass --force/);
    expect(readYaml(join(folder, 'network.yaml'))).toEqual({ name: 'mine' });
    await importNetwork(folder, { force: true });
    expect(readYaml(join(folder, 'network.yaml')).name).toBe('demo_v4');
  });

  it.skipIf(!HAS_PYTHON)('a config.py that builds nothing marvelo can run: the import says so and what it wrote does not validate', async () => {
    const project = projectCopy();
    const folder = join(project, 'odd');
    mkdirSync(folder);
    writeFileSync(
      join(folder, 'config.py'),
      'from fission.core.jobs import LocalJob\nfrom fission.core.pipes import PicklePipe\n\nclass Clock(LocalJob):\n    pass\n\nJOBS = [Clock(outputs=[PicklePipe(1)])]\n',
    );
    const r = await importNetwork(folder);
    expect(r.notes.filter((n) => n.kind === 'dropped')).toEqual([
      { kind: 'dropped', subject: "job 'clock' (Clock 1)", text: expect.stringMatching(/^not a PythonJob, ExecutableJob, MARVELOJob, CSVSinkJob or InteractiveJob \(its classes: Clock, LocalJob, BaseJob\)/) },
    ]);
    expect(r.validation.ok).toBe(false);
  });
});

describe.skipIf(!HAS_PYTHON)('marvelo import: the command', () => {
  if (!HAS_PYTHON) it.skip(NO_PYTHON_REASON, () => {});

  it('prints what it wrote, what it could not carry over and why, and whether the result validates', async () => {
    const project = projectCopy();
    const r = await runCli(['import', 'exec_net', '-o', 'out'], { cwd: project });
    expect(r.stdout).toMatch(/^\[marvelo\] imported exec_net: wrote out\/network\.yaml \(6 jobs, 5 pipes\)\n/);
    expect(r.stdout).toContain('not carried over (2):\n  config USER: the network has no nodes to log in to\n  pipe 4 (IntPipe): its own pack, unpack cannot run');
    expect(r.stdout).toContain('carried over, but different (2):\n  config REMOTE_ROOT:');
    expect(r.stdout).toContain('\n  pickle pipes 1, 2: their values travel as msgpack, never pickle: tuples arrive as lists');
    const json = await runCli(['import', 'exec_net', '-o', 'out', '--force', '--json'], { cwd: project });
    const parsed = JSON.parse(json.stdout) as { jobs: number; notes: unknown[]; valid: boolean };
    expect(parsed.jobs).toBe(6);
    expect(parsed.notes).toHaveLength(4);
    expect(json.code).toBe(parsed.valid ? 0 : 1);
  });
});
