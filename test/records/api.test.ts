import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/api/run.js';
import type { RunRecord } from '../../src/api/records/types.js';
import { tempDir } from '../helpers/temp-dir.js';
import { networkCopy } from './network-copy.js';

describe('run records from the API', () => {
  it('run() keeps no record unless asked; record: { dir } keeps one there with trigger api', async () => {
    const net = networkCopy('chain3.yaml');
    expect((await run(net.file, { cwd: net.dir })).ok).toBe(true);
    expect(existsSync(join(net.dir, '.marvelo'))).toBe(false);

    const dir = join(tempDir(), 'runs');
    expect((await run(net.file, { cwd: net.dir, record: { dir } })).ok).toBe(true);
    const [id] = readdirSync(dir);
    const record = JSON.parse(readFileSync(join(dir, id!, 'run.json'), 'utf8')) as RunRecord;
    expect(record).toMatchObject({ id, trigger: 'api', status: 'succeeded', client: { pid: process.pid } });
    expect(readFileSync(join(dir, id!, 'logs', 'sink.log'), 'utf8').split('\n')).toHaveLength(101);
  });
});
