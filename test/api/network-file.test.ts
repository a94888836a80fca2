import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openNetwork } from '../../src/api/network-file.js';
import { fixture } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp-dir.js';

describe('openNetwork: a network file as a template, each start a run', () => {
  it('map() runs once per parameter set (two at a time here) and gives the results in the order of the sets', async () => {
    const network = openNetwork(fixture('chain3.yaml'));
    const limits = [3, 7, 5, 1];
    const results = await network.map(
      limits.map((n) => ({ set: { 'jobs.src.params.limit': n } })),
      { concurrency: 2 },
    );
    expect(results.map((r) => r.exitCode)).toEqual([0, 0, 0, 0]);
    expect(results.map((r) => r.summary.pipes.find((p) => p.pipe === 'd')!.blocks)).toEqual(limits);
  });

  it('validate() reports every error without throwing; plan() places the jobs', async () => {
    const bad = join(tempDir(), 'bad.yaml');
    writeFileSync(bad, 'jobs:\n  - { name: a, uses: ./missing.ts, outputs: [p] }\n');
    const checked = await openNetwork(bad).validate();
    expect(checked.ok).toBe(false);
    expect(checked.errors.map((e) => e.code)).toContain('MRV_CONFIG_MODULE');
    const plan = await openNetwork(fixture('chain3.yaml')).plan();
    expect([...plan.nodeOf.values()]).toEqual(['local', 'local', 'local', 'local', 'local']);
  });
});
