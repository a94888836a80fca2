import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { block, testJob } from 'marvelo/testing';
import { processesTagged, runCli } from '../helpers/cli.js';
import { ownWorkers } from '../helpers/process-table.js';
import { builtinFixture, tempDir } from './helpers.js';

const RESET = 0x40;

describe('builtin - clock, distribute, forward', () => {
  it('clock: ticks 1..limit, numbered from 1, the first block starting the stream', async () => {
    const r = await testJob('builtin:clock', { params: { interval: 5, limit: 5 } });
    expect(r.error).toBeUndefined();
    expect(r.values[0]).toEqual([1, 2, 3, 4, 5]);
    expect(r.outputs[0]!.map((b) => b.sqn)).toEqual([1, 2, 3, 4, 5]);
    expect(r.outputs[0]![0]!.head & RESET).toBe(RESET);
    expect(ownWorkers()).toEqual([]);
  });

  it('distribute: copies its one input, heads included, to every output', async () => {
    const r = await testJob('builtin:distribute', { inputs: [[1, block(2, { head: 0x10 }), 3]], outputs: 3 });
    expect(r.values).toEqual([
      [1, 2, 3],
      [1, 2, 3],
      [1, 2, 3],
    ]);
    for (const out of r.outputs) expect(out.map((b) => [b.sqn, b.head])).toEqual([[1, RESET], [2, 0x10], [3, 0]]);
  });

  it('forward: input i goes to output i, unchanged, each round with the heads of all inputs', async () => {
    const r = await testJob('builtin:forward', { inputs: [[1, 2, 3], [block(10, { head: 0x01 }), 11, 12]], outputs: 2 });
    expect(r.values).toEqual([
      [1, 2, 3],
      [10, 11, 12],
    ]);
    expect(r.outputs[0]!.map((b) => b.head)).toEqual([RESET | 0x01, 0, 0]);
    const single = await testJob('builtin:forward', { inputs: [[{ a: [1] }, 'x']] });
    expect(single.values[0]).toEqual([{ a: [1] }, 'x']);
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
