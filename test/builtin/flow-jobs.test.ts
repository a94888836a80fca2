import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { processesTagged, runCli } from '../helpers/cli.js';
import { builtinFixture, tempDir } from './helpers.js';

describe('builtin - clock, distribute, forward', () => {
  it('ticks 1..limit, copies one input to every output, forwards input i to output i', async () => {
    const dir = tempDir();
    const r = await runCli(['run', builtinFixture('ticks.yaml')], { cwd: dir });
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'ticks.csv'), 'utf8')).toBe('tick,count,copy\n1,10,1\n2,11,2\n3,12,3\n4,13,4\n5,14,5\n');
    expect(processesTagged(r.tag)).toEqual([]);
  });
});

describe('builtin - LOCAL placement', () => {
  it('runs LOCAL jobs on the client even when the network lists nodes (csv-sink by its class, the clock by groups:)', async () => {
    const dir = tempDir();
    const r = await runCli(['run', builtinFixture('local.yaml'), '--verbose'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\[marvelo\] tick on local pid \d+/m);
    expect(r.stdout).toMatch(/^\[marvelo\] save on local pid \d+/m);
    expect(readFileSync(join(dir, 'local.csv'), 'utf8')).toBe('t\n1\n2\n3\n');
    expect(processesTagged(r.tag)).toEqual([]);
  });
});
