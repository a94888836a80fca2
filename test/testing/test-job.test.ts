import { describe, expect, it } from 'vitest';
import { block, testJob } from 'marvelo/testing';

const job = (name: string) => new URL(`./jobs/${name}`, import.meta.url).pathname;

describe('testJob', () => {
  it('runs a script job on the given values and collects its outputs with heads and SQNs', async () => {
    const r = await testJob(job('scale.ts'), { params: { factor: 2 }, inputs: [[1, 2, block(3, { head: 0x10 })]] });
    expect(r.error).toBeUndefined();
    expect(r.values[0]).toEqual([2, 4, 6]);
    expect(r.outputs[0]!.map((b) => b.sqn)).toEqual([1, 2, 3]);
    expect(r.outputs[0]!.map((b) => b.head)).toEqual([0x40, 0, 0x10]);
    expect(r.lines).toEqual(['scaling 1', 'scaling 2', 'scaling 3']);
  });
});
