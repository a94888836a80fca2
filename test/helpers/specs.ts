/** A pipe's and a job's spec with every field at its default, for tests that build workers' parts by hand. */
import type { JobSpec, PipeSpec } from '../../src/config/types.js';

const WHERE = { file: 'test.yaml', line: 1, col: 1 };

export function testPipeSpec(fields: Partial<PipeSpec> = {}): PipeSpec {
  return {
    name: 'p',
    codec: { kind: 'msgpack' },
    blockCount: 1,
    optional: undefined,
    maxQueue: 1024,
    drop: 'block',
    dummy: 'zero',
    flushMs: 0,
    transport: undefined,
    headSize: 1,
    restartable: false,
    producer: 'src',
    consumer: 'sink',
    where: WHERE,
    ...fields,
  };
}

export function testJobSpec(fields: Partial<JobSpec> = {}): JobSpec {
  return {
    name: 'job',
    kind: 'script',
    module: undefined,
    builtin: undefined,
    executable: undefined,
    params: {},
    inputs: [],
    outputs: [],
    groups: ['ALL'],
    defaultNode: undefined,
    head: false,
    headSize: 1,
    maxQueue: 1024,
    dependencies: [],
    env: {},
    logging: false,
    where: WHERE,
    resources: {},
    onFailure: 'stop',
    maxRetries: 0,
    retryBackoffMs: 100,
    stateless: false,
    seekable: false,
    ...fields,
  };
}
