import { describe, expect, it } from 'vitest';
import { run, type RunEvent } from '../../src/index.js';
import { onlyRunRecord } from '../helpers/run-record.js';
import { tempDir } from '../helpers/temp-dir.js';

describe('run() with RunOptions.overrides', () => {
  it('applies them and keeps them in the record', async () => {
    const runs = tempDir();
    const lines: string[] = [];
    const onEvent = (e: RunEvent) => {
      if (e.type === 'log' && e.job === 'show') lines.push(e.line);
    };
    const overrides = { set: { 'jobs.show.params.n': 4 }, env: { MODE: 'api' }, args: { echo: ['x'] } };
    const result = await run('test/fixtures/overrides/layers.yaml', { overrides, onEvent, record: { dir: runs } });
    expect(result.exitCode).toBe(0);
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual([{ params: { label: 'from-job', n: 4 }, LEVEL: 'from-defaults', MODE: 'api' }]);
    expect(onlyRunRecord(runs).record.overrides).toEqual(overrides);
  });
});
