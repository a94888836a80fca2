import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, ROOT } from '../helpers/cli.js';
import { cleanEnv, packRepository, type Packed } from './packed.js';

// What a user does: npm pack marvelo, marvelo init a project naming the tarball, npm install, then the
// two commands of the project's README.

interface Shell {
  code: number | null;
  stdout: string;
  stderr: string;
}

function sh(command: string, cwd: string): Promise<Shell> {
  return new Promise((resolve, reject) => {
    const proc = spawn('sh', ['-c', command], { cwd, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    proc.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    proc.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    proc.on('error', reject);
    proc.on('close', (code) => resolve({ code, stdout: plain(stdout), stderr: plain(stderr) }));
  });
}

/** Text without terminal colours (some tools colour their output even when it is not a terminal). */
const plain = (text: string): string => text.replace(/\x1b\[[0-9;]*m/g, '');

const marvelo = (args: string, cwd: string): Promise<Shell> => sh(`"${process.execPath}" "${CLI}" ${args}`, cwd);

/** The commands of the first ```sh block of a README, without their comments. */
function readmeCommands(readme: string): string[] {
  const block = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
  return block.split('\n').map((line) => line.replace(/#.*/, '').trim()).filter((line) => line !== '');
}

const work = mkdtempSync(join(tmpdir(), 'marvelo-init-'));
let packed: Packed;

beforeAll(async () => {
  packed = await packRepository(work);
}, 180_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the package npm pack makes', () => {
  it('ships the built runtime, its type declarations, the sources, the templates and the README; no tests, fixtures, benchmarks or node_modules', () => {
    const files = packed.files;
    for (const needed of ['package.json', 'README.md', 'dist/cli/main.js', 'dist/worker-runtime.mjs', 'dist/index.js', 'dist/types/index.d.ts', 'dist/testing/index.js', 'dist/types/testing/index.d.ts', 'src/index.ts', 'src/jobs/builtin/csv-sink.ts', 'templates/project/package.json', 'templates/project/gitignore']) {
      expect(files, needed).toContain(needed);
    }
    // The Python runtime of `uses: python:` jobs, where this repository has it.
    if (existsSync(join(ROOT, 'python'))) expect(files.some((f) => f.startsWith('python/') && f.endsWith('.py'))).toBe(true);
    const unwanted = files.filter((f) => /^(test|bench|node_modules|dist\/bench|jobs|networks|examples|scripts)\/|(^|\/)(fixtures|__pycache__)\//.test(f));
    expect(unwanted).toEqual([]);
  });
});

describe('marvelo init', () => {
  it('refuses a folder holding files the project would overwrite, names them, and writes nothing', async () => {
    const dir = join(work, 'taken');
    mkdirSync(join(dir, 'jobs'), { recursive: true });
    writeFileSync(join(dir, 'network.yaml'), 'mine\n');
    writeFileSync(join(dir, 'jobs', 'scale.ts'), 'mine\n');
    writeFileSync(join(dir, 'notes.txt'), 'mine\n');

    const r = await marvelo('init taken', work);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error: MRV_INIT_CONFLICT cannot create a project in ${dir}: these files are already there: jobs/scale.ts, network.yaml`);
    expect(r.stderr).toContain('hint: ');
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(readdirSync(dir).sort()).toEqual(['jobs', 'network.yaml', 'notes.txt']);
    expect(readdirSync(join(dir, 'jobs'))).toEqual(['scale.ts']);
    expect(readFileSync(join(dir, 'network.yaml'), 'utf8')).toBe('mine\n');
  });

  it('fills the current folder when given none, beside files it does not write; the network passes marvelo validate', async () => {
    const dir = join(work, 'here');
    mkdirSync(dir);
    writeFileSync(join(dir, 'notes.txt'), 'mine\n');

    const r = await marvelo('init', dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // From a checkout, the project names this marvelo's folder, and says so.
    expect(r.stdout).toContain(`marvelo: file:${ROOT.replace(/\/$/, '')} (this marvelo's own folder`);
    expect(readdirSync(dir).sort()).toEqual(['.gitignore', 'README.md', 'jobs', 'network.yaml', 'notes.txt', 'package.json', 'test', 'tsconfig.json']);
    expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))).toMatchObject({ name: 'here', dependencies: { marvelo: `file:${ROOT.replace(/\/$/, '')}` } });

    const v = await marvelo('validate network.yaml', dir);
    expect(v.stdout).toBe('network.yaml: ok (3 jobs, 2 pipes)\n');
    expect(v.code).toBe(0);
  });
});

describe('marvelo init, given what it cannot use', () => {
  it('a --marvelo path that does not exist, or a file for the folder: a clear error, nothing written', async () => {
    const missing = await marvelo('init nowhere --marvelo ./no-such-marvelo.tgz', work);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(
      `error: MRV_CLI_OPTION --marvelo ./no-such-marvelo.tgz: there is no file or folder ${join(work, 'no-such-marvelo.tgz')}\n` +
        '  hint: give the path of a marvelo tarball (npm pack makes one) or checkout, or an npm version spec such as ^0.1.0\n',
    );
    expect(existsSync(join(work, 'nowhere'))).toBe(false);

    writeFileSync(join(work, 'a-file'), '');
    const file = await marvelo('init a-file', work);
    expect(file.code).toBe(1);
    expect(file.stderr).toContain(`error: MRV_INIT_CONFLICT cannot create a project in ${join(work, 'a-file')}: it is a file, not a folder`);
  });
});

describe('a new project, from init to green', () => {
  const dir = join(work, 'My Streams');
  let installed = false;

  it('installs, runs its network and passes its tests with the two commands of its README', async (ctx) => {
    const started = performance.now();
    const init = await marvelo(`init "My Streams" --marvelo "${packed.tarball}"`, work);
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    const tarballName = packed.tarball.slice(work.length + 1);
    expect(init.stdout).toContain(`marvelo: file:../${tarballName} (${packed.tarball}, as given with --marvelo)`);
    expect(init.stdout).toContain('cd "My Streams"');
    const initDone = performance.now();

    const commands = readmeCommands(readFileSync(join(dir, 'README.md'), 'utf8'));
    expect(commands).toEqual(['npm install', 'npx marvelo run network.yaml', 'npm test']);

    // From npm's cache; a package it lacks (npm fetches the full metadata of every package it resolves,
    // which npm ci does not leave there) is fetched from the registry once.
    let mode = 'offline';
    let install = await sh('npm install --offline --no-audit --no-fund', dir);
    if (install.code !== 0 && install.stderr.includes('ENOTCACHED')) {
      mode = 'cache first, then the registry';
      install = await sh('npm install --prefer-offline --no-audit --no-fund', dir);
    }
    if (install.code !== 0) {
      const reason = install.stderr.split('\n').find((l) => l.includes('npm error') && !l.includes('code ')) ?? install.stderr.trim();
      console.warn(`skipped: npm install of the new project failed: ${reason}`);
      ctx.skip(`npm install failed: ${reason}`);
    }
    installed = true;
    const installDone = performance.now();

    const network = await sh(commands[1]!, dir);
    expect(network.stderr).toContain('[marvelo] my-streams: finished in');
    expect(network.code).toBe(0);
    expect(network.stdout).toBe(
      ['show  | got 10', 'show  | got 20', 'show  | got 30', 'show  | got 40', 'show  | got 50', 'show  | total 150', ''].join('\n'),
    );

    const test = await sh(commands[2]!, dir);
    expect(test.stdout).toMatch(/Tests\s+5 passed \(5\)/);
    expect(test.code).toBe(0);
    const green = performance.now();

    const s = (from: number, to: number): string => `${((to - from) / 1000).toFixed(1)} s`;
    console.log(
      `init to green: ${s(started, green)} (init ${s(started, initDone)}, npm install ${s(initDone, installDone)} (${mode}), ` +
        `network ${s(installDone, green)} with its tests)`,
    );
  }, 300_000);

  it("typechecks the project's jobs against marvelo's declarations: a job with a type error fails npm test", async (ctx) => {
    if (!installed) ctx.skip('the project was not installed');
    writeFileSync(join(dir, 'jobs', 'broken.ts'), "import { ScriptJob } from 'marvelo';\nexport default class Broken extends ScriptJob<{ n: number }> {\n  run(): string { return this.params.n; }\n}\n");
    const test = await sh('npm test', dir);
    expect(test.code).not.toBe(0);
    expect(test.stdout).toMatch(/jobs\/broken\.ts\(3,\d+\): error TS2322: Type 'number' is not assignable to type 'string'/);
    rmSync(join(dir, 'jobs', 'broken.ts'));
  }, 120_000);

  it('names its own version when the marvelo that runs init was installed as a package', async (ctx) => {
    if (!installed) ctx.skip('the project was not installed');
    const r = await sh('npx marvelo init another', dir);
    expect(r.stderr).toBe('');
    const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    expect(r.stdout).toContain(`marvelo: ^${version} (the version of this marvelo; if your registry has no marvelo, give its tarball or folder with --marvelo <spec>)`);
    expect(JSON.parse(readFileSync(join(dir, 'another', 'package.json'), 'utf8')).dependencies).toEqual({ marvelo: `^${version}` });
  }, 60_000);
});
