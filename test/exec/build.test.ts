import { cpSync, existsSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jobLines, ROOT, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp-dir.js';
import { expectNoProcessLeft } from './helpers.js';

/** networks/executables.yaml with the example jobs beside it, in a fresh folder, without any built program. */
function exampleCopy(): { network: string; program: string; source: string } {
  const dir = tempDir();
  cpSync(join(ROOT, 'jobs'), join(dir, 'jobs'), { recursive: true, filter: (from) => !from.startsWith(join(ROOT, 'jobs', 'exec', 'bin')) });
  cpSync(join(ROOT, 'networks', 'executables.yaml'), join(dir, 'networks', 'executables.yaml'));
  return {
    network: join(dir, 'networks', 'executables.yaml'),
    program: join(dir, 'jobs', 'exec', 'bin', 'movavg'),
    source: join(dir, 'jobs', 'exec', 'movavg.c'),
  };
}

describe('executable jobs - build:', () => {
  it('networks/executables.yaml builds its C program on the first run, and only when it is missing or stale', async () => {
    const { network, program, source } = exampleCopy();
    expect(existsSync(program)).toBe(false);
    const r = await runCli(['run', network]);
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    expect(jobLines(r.stdout, 'show')).toHaveLength(5);
    expect(jobLines(r.stdout, 'smooth')).toEqual(['movavg: 20 samples']);
    expectNoProcessLeft(r.tag);

    // Up to date: not built again. (Times are set explicitly, so the test does not depend on the clock.)
    utimesSync(source, 1_000_000, 1_000_000);
    utimesSync(program, 2_000_000, 2_000_000);
    expect((await runCli(['validate', network])).code).toBe(0);
    expect(statSync(program).mtimeMs).toBe(2_000_000_000);

    // The source is newer than the program: built again.
    utimesSync(source, 3_000_000, 3_000_000);
    expect((await runCli(['validate', network])).code).toBe(0);
    expect(statSync(program).mtimeMs).toBeGreaterThan(3_000_000_000);
  });

  it('says why a build failed, with the line of the network file and the end of its output', async () => {
    const r = await runCli(['validate', 'test/fixtures/exec/build-errors.yaml']);
    expect(r.code).toBe(1);
    const at = (line: number, col: number) => `test/fixtures/exec/build-errors.yaml:${line}:${col}: MRV_CONFIG_MODULE `;
    expect(r.stderr).toContain(`${at(6, 23)}job 'fails': the build of ${join(ROOT, 'test/fixtures/exec/bin/never-made')} failed: sh -c`);
    expect(r.stderr).toMatch(/exited with code 3:\nfilter\.c:3: error: expected ;\n  hint: run it in \S+test\/fixtures\/exec to see its whole output/);
    expect(r.stderr).toContain(`${at(11, 24)}job 'no-tool': cannot run the build of`);
    expect(r.stderr).toContain('marvelo-no-such-compiler was not found');
    expect(r.stderr).toContain(`${at(16, 43)}job 'no-source': build source ./filter-missing.c does not exist`);
    expect(r.stderr).toMatch(/job 'makes-nothing': executable \.\/bin\/still-not-made does not exist .*\n  hint: its build \(true\) ran, but did not make /);
    expect(r.stderr).toMatch(/MRV_CONFIG_SCHEMA job 'on-path': 'build' needs the program's path, and cat is a command looked up on PATH/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
