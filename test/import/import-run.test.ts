/** An imported network of PythonJobs runs end to end: the original's config.py, imported, then marvelo run. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importNetwork } from '../../src/import/index.js';
import { runCli } from '../helpers/cli.js';
import { HAS_PYTHON, NO_PYTHON_REASON, projectCopy, readYaml } from './helpers.js';

describe.skipIf(!HAS_PYTHON)('marvelo import: an imported network runs', () => {
  if (!HAS_PYTHON) it.skip(NO_PYTHON_REASON, () => {});

  it('two counters, their product, sums of five, a CSV sink: the sums the original would write', async () => {
    const project = projectCopy();
    const folder = join(project, 'runnable');
    const imported = await importNetwork(folder);
    expect(imported.validation.errors).toEqual([]);
    expect(readYaml(imported.files.network).jobs).toEqual([
      { name: 'count_job_1', uses: 'python:jobs/jobs.py#CountJob', params: { start: 1, limit: 10 }, outputs: [1] },
      { name: 'count_job_2', uses: 'python:jobs/jobs.py#CountJob', params: { start: 11, limit: 10 }, outputs: [2] },
      { name: 'product_job', uses: 'python:jobs/jobs.py#ProductJob', inputs: [1, 2], outputs: [3] },
      { name: 'sum_job', uses: 'python:jobs/jobs.py#SumJob', inputs: [3], outputs: [4] },
      { name: 'csv_sink_job', uses: 'builtin:csv-sink', params: { path: 'sums.csv', columns: ['pipe_4'] }, inputs: [4] },
    ]);
    const run = await runCli(['run', 'network.yaml'], { cwd: folder });
    expect(run.stderr).toMatch(/runnable: finished/);
    expect(run.code).toBe(0);
    // 1*11 + 2*12 + ... + 5*15 = 205; 6*16 + ... + 10*20 = 730
    expect(readFileSync(join(folder, 'sums.csv'), 'utf8')).toBe('pipe_4\n205\n730\n');
  });
});
