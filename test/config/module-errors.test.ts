import { describe, expect, it } from 'vitest';
import { errorsOf, expectError, fixture, tempBundleDir } from './helpers.js';

const bundleDir = tempBundleDir();
const errors = (name: string) => errorsOf(name, bundleDir);

describe('config - module errors', () => {
  it('reports a missing module file with the nearest file', async () => {
    expectError(await errors('missing-module.yaml'), {
      code: 'MRV_CONFIG_MODULE',
      message: `module file ../../jobs/cont.ts does not exist (looked for ${fixture('jobs', 'cont.ts')})`,
      line: 3,
      col: 11,
      job: 'source',
      hint: "did you mean '../../jobs/count.ts'?",
    });
  });

  it('reports a missing named export and names the exports that exist', async () => {
    expectError(await errors('missing-export.yaml'), {
      code: 'MRV_CONFIG_MODULE',
      message: "has no export 'Prodcut'",
      line: 6,
      col: 11,
      hint: "did you mean 'Product'? it exports: NotAJob, Pair, Product, helper",
    });
  });

  it('reports a missing default export and suggests a job class to pick', async () => {
    expectError(await errors('missing-export.yaml'), {
      code: 'MRV_CONFIG_MODULE',
      message: 'has no default export',
      line: 9,
      col: 11,
      hint: "it exports: NotAJob, Pair, Product, helper; pick one with '#Pair'",
    });
  });

  it('rejects exports that are not ScriptJob subclasses', async () => {
    const all = await errors('not-a-job.yaml');
    expectError(all, {
      code: 'MRV_CONFIG_MODULE',
      message: "export 'NotAJob' of " + fixture('jobs', 'product.ts') + " is not a ScriptJob subclass (it is a class that does not extend marvelo's ScriptJob)",
      line: 3,
      col: 11,
      hint: 'extends ScriptJob',
    });
    expectError(all, { code: 'MRV_CONFIG_MODULE', message: "export 'helper'", line: 5, hint: 'extends ScriptJob' });
    // A class extending some other ScriptJob: the usual cause is importing marvelo's sources by path.
    expectError(all, { code: 'MRV_CONFIG_MODULE', message: 'foreign.ts is not a ScriptJob subclass', line: 7, hint: "import ScriptJob from 'marvelo'" });
  });

  it('reports a module that throws at import, with the cause', async () => {
    const e = expectError(await errors('module-fails.yaml'), {
      code: 'MRV_CONFIG_MODULE',
      message: 'threw while loading: Error: boom at import',
      line: 3,
      col: 11,
      job: 'a',
    });
    expect((e.cause as Error).message).toBe('boom at import');
  });

  it('reports a module that does not compile once, at the line in the module', async () => {
    const all = await errors('module-fails.yaml');
    const e = expectError(all, { code: 'MRV_CONFIG_MODULE', message: 'cannot bundle', line: 5, col: 12, job: 'b' });
    expect(e.where!.file).toBe(fixture('jobs', 'broken.js'));
    expect(all.filter((x) => x.message.includes('broken.js'))).toHaveLength(1);
  });

  it('says what to do about an import that is not installed or does not exist, not how to configure esbuild', async () => {
    const all = await errors('missing-import.yaml');
    const pkg = expectError(all, {
      code: 'MRV_CONFIG_MODULE',
      message: "it imports 'left-pad-that-is-not-installed/pad', but package 'left-pad-that-is-not-installed' is not installed",
      line: 2,
      col: 17,
      job: 'src',
      hint: 'npm install left-pad-that-is-not-installed',
    });
    expect(pkg.where!.file).toBe(fixture('jobs', 'missing-package.js'));
    const file = expectError(all, {
      code: 'MRV_CONFIG_MODULE',
      message: `it imports './lib/stepp.js', which does not exist (looked for ${fixture('jobs', 'lib', 'stepp.js')}`,
      line: 2,
      col: 27,
      job: 'step',
      hint: `relative to the importing file's folder ${fixture('jobs')}`,
    });
    for (const e of [pkg, file]) expect(`${e.message} ${e.hint}`).not.toMatch(/external/);
  });

  it('reports invalid class statics', async () => {
    const all = await errors('module-fails.yaml');
    expectError(all, {
      code: 'MRV_CONFIG_MODULE',
      message: 'class BadStatics: static MAX_QUEUE must be an integer >= 1, not 0',
      line: 9,
      col: 11,
      hint: 'override it',
    });
    expectError(all, {
      code: 'MRV_CONFIG_MODULE',
      message: 'class BadStatics: static BORROW must be true or false, not "yes"',
      line: 9,
      col: 11,
    });
  });

  it('reports an unknown builtin and lists the known ones', async () => {
    expectError(await errors('builtin.yaml'), {
      code: 'MRV_CONFIG_MODULE',
      message: "unknown builtin job 'csv-snk'",
      line: 3,
      col: 25,
      hint: 'known builtins:',
    });
  });

  it('checks that a path-like executable exists', async () => {
    expectError(await errors('executable-missing.yaml'), {
      code: 'MRV_CONFIG_MODULE',
      message: 'executable ../../bin/missing.sh does not exist',
      line: 4,
      col: 17,
      hint: 'PATH',
    });
  });

  it('checks that dependencies exist', async () => {
    expectError(await errors('dependencies.yaml'), {
      code: 'MRV_CONFIG_MODULE',
      message: 'dependency ../../jobs/nothing-here does not exist',
      line: 4,
      col: 37,
    });
  });

  it('checks custom codec modules: the file, and pack/unpack on the export', async () => {
    const all = await errors('custom-codec.yaml');
    expectError(all, {
      code: 'MRV_CONFIG_MODULE',
      message: 'codec module ../../codecs/int-codc.ts does not exist',
      line: 5,
      col: 16,
      pipe: 'p1',
      hint: "did you mean '../../codecs/int-codec.ts'?",
    });
    expectError(all, { code: 'MRV_CONFIG_MODULE', message: "export 'notACodec'", line: 6, col: 16, pipe: 'p2', hint: 'pack' });
  });
});

describe('config - run() arity', () => {
  it('rejects a run() that declares fewer parameters than inputs', async () => {
    expectError(await errors('arity.yaml'), {
      code: 'MRV_CONFIG_PORTS',
      message: 'class TwoArgs: run() takes 2 arguments, but the job has 3 inputs (a, b, c)',
      line: 5,
      col: 5,
      job: 'too-few-params',
      hint: 'run(...inputs)',
    });
  });

  it('rejects a run() that needs more arguments than inputs', async () => {
    expectError(await errors('arity.yaml'), {
      code: 'MRV_CONFIG_PORTS',
      message: 'class Product: run() needs 3 arguments, but the job has 2 inputs (d, e)',
      line: 8,
      col: 5,
    });
  });

  it('rejects a generator run() with inputs', async () => {
    expectError(await errors('arity.yaml'), {
      code: 'MRV_CONFIG_PORTS',
      message: 'run() is a generator, but the job has 1 input (f); generators are for sources only',
      line: 11,
      col: 5,
    });
  });

  it('accepts rest parameters and arguments', async () => {
    const all = await errors('arity.yaml');
    expect(all.map((e) => e.job)).toEqual(['too-few-params', 'too-many-params', 'generator']);
  });
});

describe('config - port types', () => {
  it('rejects a codec that differs from the declared port', async () => {
    expectError(await errors('ports.yaml'), {
      code: 'MRV_CONFIG_PORTS',
      message: "pipe 'samples' is int16[256], but input 1 of class Floats takes float32[256]",
      line: 5,
      col: 14,
      job: 'floats',
      pipe: 'samples',
      hint: 'codec: float32, length: 256',
    });
    expectError(await errors('ports.yaml'), {
      code: 'MRV_CONFIG_PORTS',
      message: "pipe 'out' is msgpack, but output 1 of class Floats takes int16",
      line: 6,
      col: 15,
    });
  });

  it('rejects a length that differs from the declared port', async () => {
    expectError(await errors('ports.yaml'), {
      code: 'MRV_CONFIG_PORTS',
      message: "pipe 'wide' is float32[512], but input 1 of class Floats takes float32[256]",
      line: 10,
      col: 14,
    });
  });

  it('rejects a job with more or fewer pipes than the class declares ports', async () => {
    expectError(await errors('port-count.yaml'), {
      code: 'MRV_CONFIG_PORTS',
      message: 'class Floats declares 1 input (static INPUTS), but the job lists 2 pipes',
      line: 5,
      col: 14,
      hint: 'list 1 pipe under inputs, of types float32[256]',
    });
  });

  it("lets 'any' take every codec, and a matching output pass", async () => {
    const all = await errors('ports.yaml');
    expect(all).toHaveLength(3);
  });
});

describe('config - placement references', () => {
  it('rejects a group that no node has, with a suggestion', async () => {
    expectError(await errors('placement.yaml'), {
      code: 'MRV_CONFIG_GRAPH',
      message: "job 'src' asks for group 'mic', but no node is in that group",
      line: 4,
      col: 14,
      hint: "did you mean 'mics'? known groups: ALL, LOCAL, mics",
    });
  });

  it('rejects a default_node that names no node', async () => {
    expectError(await errors('placement.yaml'), {
      code: 'MRV_CONFIG_GRAPH',
      message: "job 'src' names default_node 'pi-2', but no node has that name or host",
      line: 5,
      col: 19,
      hint: "did you mean 'pi-1'?",
    });
  });

  it('checks groups and default nodes that come from class statics, at uses:', async () => {
    const all = await errors('placement.yaml');
    // tuned.ts: GROUPS = ['mics', 'ALL'] exist; DEFAULT_NODE = 'pi-1' exists. LOCAL and ALL always exist.
    expect(all).toHaveLength(2);
    const fromClass = await errors('placement-statics.yaml');
    expectError(fromClass, { code: 'MRV_CONFIG_GRAPH', message: "asks for group 'mics' (from the class)", line: 4, col: 11 });
    expectError(fromClass, { code: 'MRV_CONFIG_GRAPH', message: "names default_node 'pi-1' (from the class)", line: 4, col: 11 });
    expect(fromClass).toHaveLength(2);
  });
});
