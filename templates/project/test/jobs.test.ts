import { describe, expect, it } from 'vitest';
import { testJob, testNetwork } from 'marvelo/testing';

// Each job runs in a real worker, as in a network, on the blocks given here. Paths are relative to the
// folder the tests run in: this project's.
describe('the jobs', () => {
  it('count yields from..to', async () => {
    const r = await testJob('jobs/count.ts', { params: { from: 3, to: 6 } });
    expect(r.error).toBeUndefined();
    expect(r.values[0]).toEqual([3, 4, 5, 6]);
  });

  it('scale multiplies every value by its factor', async () => {
    const r = await testJob('jobs/scale.ts', { params: { factor: 2 }, inputs: [[1, 2, 3]] });
    expect(r.values[0]).toEqual([2, 4, 6]);
  });

  it('show prints each value, then the total', async () => {
    const r = await testJob('jobs/show.ts', { inputs: [[10, 20]], outputs: 0 });
    expect(r.lines).toEqual(['got 10', 'got 20', 'total 30']);
  });
});

// The network file as it is, with some pipes fed by the test or collected from it.
describe('the network', () => {
  it('scales what it counts', async () => {
    const r = await testNetwork('network.yaml', { collect: ['scaled'] });
    expect(r.values.scaled).toEqual([10, 20, 30, 40, 50]);
  });

  it('shows what it is fed', async () => {
    const r = await testNetwork('network.yaml', { feed: { numbers: [7, 8] } });
    expect(r.printed.filter((p) => p.job === 'show').map((p) => p.line)).toEqual(['got 70', 'got 80', 'total 150']);
  });
});
