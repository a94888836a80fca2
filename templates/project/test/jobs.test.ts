import { describe, expect, it } from 'vitest';
import { testJob, testNetwork } from 'marvelo/testing';

// Each job runs in a real worker, as in a network; paths are relative to the project folder.
describe('the jobs', () => {
  it('count yields from..to', async () => {
    const r = await testJob('jobs/count.ts', { params: { from: 3, to: 6 } });
    expect(r.error).toBeUndefined();
    expect(r.outputs[0]!.map((b) => b.value)).toEqual([3, 4, 5, 6]);
  });

  it('scale multiplies every value by its factor', async () => {
    const r = await testJob('jobs/scale.ts', { params: { factor: 2 }, inputs: [[1, 2, 3]] });
    expect(r.outputs[0]!.map((b) => b.value)).toEqual([2, 4, 6]);
  });

  it('show prints each value, then the total', async () => {
    const r = await testJob('jobs/show.ts', { inputs: [[10, 20]] });
    expect(r.lines).toEqual(['got 10', 'got 20', 'total 30']);
  });
});

describe('the network', () => {
  it('scales what it counts', async () => {
    const r = await testNetwork('network.yaml', { collect: ['scaled'] });
    expect(r.collected.scaled!.map((b) => b.value)).toEqual([10, 20, 30, 40, 50]);
  });
});
