import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cacheName, shipmentsOf } from '../../src/launch/shipment.js';
import type { LoadedNetwork } from '../../src/config/load.js';
import type { JobSpec } from '../../src/config/types.js';
import { tempDir } from '../helpers/temp-dir.js';

/** A loaded network of one job with the given dependencies and program (what shipmentsOf reads). */
function loaded(dependencies: string[], command?: string): LoadedNetwork {
  const spec = { name: 'j', inputs: [], outputs: [], dependencies, executable: command === undefined ? undefined : { command } } as unknown as JobSpec;
  return { network: { jobs: [spec] } as unknown as LoadedNetwork['network'], bundles: new Map(), codecBundles: new Map() };
}

describe('shipments - what a job needs on its node, by content and relative name', () => {
  it('lists a dependency folder file by file under its name, keeping which files are executable', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'data', 'sub'), { recursive: true });
    writeFileSync(join(dir, 'data', 'a.txt'), 'a');
    writeFileSync(join(dir, 'data', 'sub', 'run.sh'), '#!/bin/sh\n');
    chmodSync(join(dir, 'data', 'sub', 'run.sh'), 0o755);
    writeFileSync(join(dir, 'lut.bin'), 'lut');
    const [s] = shipmentsOf(loaded([join(dir, 'data'), join(dir, 'lut.bin')], join(dir, 'lut.bin')));
    const entries = s!.folder.map((e) => [e.rel, e.artifact.executable]).sort();
    expect(entries).toEqual([
      ['data/a.txt', false],
      ['data/sub/run.sh', true],
      ['lut.bin', false],
    ]);
    // a program given by path is shipped as an executable
    expect(s!.program).toEqual({ source: join(dir, 'lut.bin'), executable: true });
  });

  it('a command name is not shipped: the node looks it up on its PATH', () => {
    expect(shipmentsOf(loaded([], 'sox'))[0]!.program).toBeUndefined();
  });

  it('names a file in the cache by its content and extension, and marks executables', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'one.mjs'), 'export {}');
    writeFileSync(join(dir, 'two.mjs'), 'export {}');
    writeFileSync(join(dir, 'three.mjs'), 'export const x = 1');
    const one = await cacheName({ source: join(dir, 'one.mjs'), executable: false });
    expect(one).toMatch(/^[0-9a-f]{32}\.mjs$/);
    expect(await cacheName({ source: join(dir, 'two.mjs'), executable: false })).toBe(one);
    expect(await cacheName({ source: join(dir, 'three.mjs'), executable: false })).not.toBe(one);
    expect(await cacheName({ source: join(dir, 'one.mjs'), executable: true })).toBe(one.replace('.mjs', 'x.mjs'));
  });
});

describe('shipments - names a node keeper could misread', () => {
  it('refuses a dependency file whose name has a line break, naming it and the job', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'data'));
    writeFileSync(join(dir, 'data', 'evil\nkill 1'), 'x');
    expect(() => shipmentsOf(loaded([join(dir, 'data')]))).toThrow(/MRV_CONFIG_MODULE|line break/);
  });
});
