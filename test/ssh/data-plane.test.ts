/** The data plane's cases (test/run/data-plane-cases.ts) with every job on a test-bed node, each pipe between two of them. */
import { describe, expect } from 'vitest';
import { dataPlaneCases } from '../run/data-plane-cases.js';
import { fixture } from '../helpers/cli.js';
import { spreadOverNodes } from '../helpers/spread.js';
import { announceTestbedSkip, processesOfRun, runFolders, testbed } from '../helpers/testbed.js';

announceTestbedSkip();
const bed = testbed();

describe.skipIf(!bed)('the data plane over SSH nodes', () => {
  dataPlaneCases({
    label: 'run spread over 3 SSH nodes',
    network: (name) => spreadOverNodes(fixture(name), bed!.nodes.map((n) => n.name), bed!.clusterFile),
    args: ['--verbose'],
    expectNothingLeft: (r) => {
      const runId = /\[marvelo\] run ([0-9a-f-]+):/.exec(r.stderr)?.[1];
      expect(runId, r.stderr).toBeDefined();
      expect(processesOfRun(runId!)).toEqual([]);
      for (const n of bed!.nodes) expect(runFolders(n.root).filter((f) => f.includes(runId!))).toEqual([]);
    },
  });
});
