import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { block, testNetwork } from 'marvelo/testing';

const network = (name: string) => new URL(`./networks/${name}`, import.meta.url).pathname;
const RESET = 0x40;

describe('testNetwork', () => {
  it('feeds a pipe in place of its producer and collects one in place of its consumer', async () => {
    const r = await testNetwork(network('chain.yaml'), { feed: { raw: [1, block(2, { head: 0x10 }), 3] }, collect: ['doubled'] });
    expect(r.error).toBeUndefined();
    expect(r.values.doubled).toEqual([2, 4, 6]);
    expect(r.collected.doubled).toEqual([
      { value: 2, head: RESET, sqn: 1 },
      { value: 4, head: 0x10, sqn: 2 },
      { value: 6, head: 0, sqn: 3 },
    ]);
    // only the job between them ran: what it printed, and nothing of the replaced source and sinks
    expect(r.printed).toEqual(['scaling 1', 'scaling 2', 'scaling 3'].map((line) => ({ job: 'double', stream: 'stdout', line })));
    expect(r.summary.jobs.map((j) => j.job).sort()).toEqual(['collect-doubled', 'double', 'feed-raw']);
  });

  it("keeps the pipes' options: a block_count between kept jobs groups the rounds", async () => {
    const r = await testNetwork(network('chain.yaml'), { feed: { raw: [1, 2, 3, 4] }, collect: ['sums'] });
    expect(r.values.sums).toEqual([6, 14]);
    expect(r.collected.sums!.map((b) => b.sqn)).toEqual([1, 2]);
  });

  it('feeds several pipes and collects several, and returns a failing job among them', async () => {
    const r = await testNetwork(network('split.yaml'), { feed: { left: [5, 1], right: [2, 3] }, collect: ['sum', 'checked'] });
    expect(r.values.sum).toEqual([7, 4]);
    expect(r.error).toMatchObject({ job: 'guard', name: 'BadValue', code: 'E_BAD_VALUE', message: 'negative value -2' });
    expect(r.errors).toHaveLength(1);
    expect(r.summary.status).toBe('failed');
  });

  it('keeps the jobs that still feed the part under test', async () => {
    const r = await testNetwork(network('split.yaml'), { feed: { left: [10, 20] }, collect: ['sum'] });
    expect(r.values.sum).toEqual([11, 22]); // b still counts 1, 2 into right
    expect(r.printed.filter((l) => l.job === 's2' && l.stream === 'stdout').map((l) => l.line)).toEqual(['9', '18']);
  });

  it('runs a network without its hooks, and leaves no rewritten file behind', async () => {
    const r = await testNetwork(network('chain.yaml'), { feed: { doubled: [1, 2] }, collect: ['sums'] });
    expect(r.values.sums).toEqual([3]);
    expect(readdirSync(new URL('./networks/', import.meta.url)).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it("reports an error of the network file at its own line", async () => {
    await expect(testNetwork(network('broken.yaml'), { feed: { raw: [1] }, collect: ['doubled', 'nothing'] })).rejects.toMatchObject({
      code: 'MRV_TEST_HARNESS',
      message: "collect names pipe 'nothing', which the network does not have",
    });
    // the replaced sink's module is not needed; a kept job's is
    const r = await testNetwork(network('broken.yaml'), { feed: { raw: [1] }, collect: ['doubled'] });
    expect(r.values.doubled).toEqual([2]);
    await expect(testNetwork(network('broken.yaml'), { feed: { doubled: [1] } })).rejects.toMatchObject({
      code: 'MRV_CONFIG_MODULE',
      where: { file: network('broken.yaml'), line: 6 },
    });
  });

  it('says which pipe it does not know, and which pipe would be cut off', async () => {
    await expect(testNetwork(network('chain.yaml'), { feed: { nope: [1] } })).rejects.toMatchObject({
      code: 'MRV_TEST_HARNESS',
      message: "feed names pipe 'nope', which the network does not have",
      hint: 'its pipes are raw, doubled, sums',
    });
    await expect(testNetwork(network('split.yaml'), { feed: { checked: [1] }, collect: ['sum'] })).rejects.toMatchObject({
      code: 'MRV_TEST_HARNESS',
      message: "pipe 'diff' joins job 'both', which the test keeps, and job 'guard', which it replaces",
      hint: expect.stringContaining("collect pipe 'diff' as well"),
    });
  });
});
