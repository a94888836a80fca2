/**
 * The original's PythonJobs on the test-bed's SSH nodes: the runtime and the job's package are shipped
 * into each job's folder there, and python3 on the node runs them (docs/python-jobs.md).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, jobLines, runCli } from '../helpers/cli.js';
import { announceTestbedSkip, processesOfRun, runFolders, testbed } from '../helpers/testbed.js';
import { tempDir } from '../helpers/temp-dir.js';

announceTestbedSkip();
const bed = testbed();
const DEMO = join(ROOT, 'test', 'fixtures', 'python', 'demo_v1', 'jobs', 'jobs.py');

describe.skipIf(!bed)('python jobs over SSH (the test-bed)', () => {
  it('runs demo v1 in the original API over 3 nodes: exact sums in the CSV the client writes, nothing left', async () => {
    const dir = tempDir();
    const file = join(dir, 'net.yaml');
    const job = (name: string, cls: string, rest: string) => `  - { name: ${name}, uses: "python:${DEMO}#${cls}", ${rest} }`;
    writeFileSync(
      file,
      [
        'name: net',
        'jobs:',
        job('source1', 'SourceJob', 'outputs: [101], default_node: n1'),
        job('source2', 'SourceJob', 'params: { start: 20, step: 2 }, outputs: [102], default_node: n2'),
        job('source3', 'SourceJob', 'params: { start: 10, step: -1 }, outputs: [103], default_node: n3'),
        job('join', 'JoinJob', 'inputs: [101, 102, 103], outputs: [105], default_node: n1'),
        job('reduce', 'ReduceJob', 'inputs: [105], outputs: [301], default_node: n2'),
        job('save', 'CSVSinkJob', 'params: { path: reduce.csv }, inputs: [301]'),
        'pipes:',
        '  105: { codec: msgpack, block_count: 5 }',
        `nodes: ${bed!.clusterFile}`,
        '',
      ].join('\n'),
    );
    const r = await runCli(['run', file, '--verbose'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    // CSVSinkJob is a LocalJob: it runs on the client and writes in the folder of `marvelo run`
    expect(readFileSync(join(dir, 'reduce.csv'), 'utf8').trimEnd().split(/\r?\n/)).toEqual(['pipe_301', '2740', '3640', '-6460', '-35060']);
    expect(jobLines(r.stdout, 'reduce')[0]).toBe('reduce -> Sum over [200, 396, 576, 728, 840] is 2740');
    expect(r.stdout).toMatch(/^reduce@n2 +\| /m);
    const runId = /\[marvelo\] run ([0-9a-f-]+):/.exec(r.stderr)![1]!;
    expect(processesOfRun(runId)).toEqual([]);
    for (const n of bed!.nodes) expect(runFolders(n.root).filter((f) => f.includes(runId))).toEqual([]);
  });
});
