import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isBuiltin } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isScriptJobClass, type ScriptJob } from '../../src/jobs/script-job.js';
import { bundleModule } from '../../src/launch/bundle.js';
import { importBundle } from '../../src/worker/boot/import-bundle.js';
import { MarveloError } from '../../src/errors.js';
import { fixture, tempBundleDir } from './helpers.js';

const cacheDir = tempBundleDir();

/** The specifiers a bundle still imports at run time. */
function importsOf(code: string): string[] {
  return [...code.matchAll(/^import .* from ['"]([^'"]+)['"];?$/gmu)].map((m) => m[1]!);
}

describe('bundle - one file per job module', () => {
  it("inlines local imports and 'marvelo' into one ESM file named by its hash", async () => {
    const bundle = await bundleModule(fixture('jobs', 'count.ts'), cacheDir);
    expect(bundle.hash).toMatch(/^[0-9a-f]{16}$/u);
    expect(bundle.file).toBe(join(cacheDir, `${bundle.hash}.mjs`));
    const code = readFileSync(bundle.file, 'utf8');
    expect(importsOf(code)).toEqual(['node:module']);
    expect(code).toContain('function nextValue');
    expect(code).toContain("Symbol.for(\"marvelo.api\")");
  });

  it('gives the same content the same hash, and other content another', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'marvelo-bundle-src-'));
    const a = join(dir, 'job.ts');
    copyFileSync(fixture('jobs', 'sum.ts'), a);
    const first = await bundleModule(a, cacheDir);
    const again = await bundleModule(a, cacheDir);
    expect(again).toEqual(first);
    writeFileSync(a, readFileSync(a, 'utf8').replace('a + b', 'b + a'));
    expect((await bundleModule(a, cacheDir)).hash).not.toBe(first.hash);
    rmSync(dir, { recursive: true, force: true });
  });

  it('leaves no temporary files and replaces a cached file whose content differs', async () => {
    const bundle = await bundleModule(fixture('jobs', 'sink.ts'), cacheDir);
    writeFileSync(bundle.file, 'export default 1;\n');
    await bundleModule(fixture('jobs', 'sink.ts'), cacheDir);
    expect(readFileSync(bundle.file, 'utf8')).toContain('var Sink = class');
    expect(readdirSync(cacheDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('bundles npm packages in and keeps node: built-ins external', async () => {
    const bundle = await bundleModule(fixture('jobs', 'with-npm.ts'), cacheDir);
    const code = readFileSync(bundle.file, 'utf8');
    const imports = importsOf(code);
    expect(imports).toContain('node:os');
    expect(imports.every((m) => isBuiltin(m)), imports.join(', ')).toBe(true);
    expect(code).toContain('node_modules/nanoid/');
    const { default: Tagger } = await importBundle(bundle);
    const job = new (Tagger as new () => ScriptJob)();
    expect((job.run as (x: number) => { id: string })(1).id).toHaveLength(8);
  });

  it('imports as a ScriptJob subclass of this runtime', async () => {
    const exports = await importBundle(await bundleModule(fixture('jobs', 'count.ts'), cacheDir));
    const Count = exports['default'];
    expect(isScriptJobClass(Count)).toBe(true);
    const job = new (Count as new () => ScriptJob<{ start: number; step: number; limit: number }>)();
    job.params = { start: 1, step: 2, limit: 3 };
    expect([...(job.run() as Iterable<number>)]).toEqual([1, 3, 5]);
  });

  it("maps a job's stack trace to the user's file and line", async () => {
    const { default: Fails } = await importBundle(await bundleModule(fixture('jobs', 'fails.ts'), cacheDir));
    const job = new (Fails as new () => ScriptJob)();
    let stack = '';
    try {
      (job.run as (x: number) => number)(2);
    } catch (e) {
      stack = (e as Error).stack ?? '';
    }
    expect(stack).toContain('fails on purpose');
    expect(stack).toMatch(/fixtures\/config\/jobs\/fails\.ts:5:\d+/u);
  });

  it('turns a build error into MRV_CONFIG_MODULE at the line in the module', async () => {
    const failing = bundleModule(fixture('jobs', 'broken.js'), cacheDir);
    await expect(failing).rejects.toBeInstanceOf(MarveloError);
    const e = (await failing.catch((x: unknown) => x)) as MarveloError;
    expect(e.code).toBe('MRV_CONFIG_MODULE');
    expect(e.message).toContain(fixture('jobs', 'broken.js'));
    expect(e.where).toEqual({ file: fixture('jobs', 'broken.js'), line: 5, col: 12 });
  });
});
