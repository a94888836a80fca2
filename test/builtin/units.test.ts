import { describe, expect, it } from 'vitest';
import type { JobSpec, Network, PipeSpec } from '../../src/config/types.js';
import { fedJobs } from '../../src/api/fed-jobs.js';
import { toCell } from '../../src/jobs/builtin/csv-cells.js';

describe('builtin - csv cells', () => {
  it('renders every kind of value the way people read it', () => {
    expect([1, -0.25, 10n, 'text', true, false, null, undefined].map(toCell)).toEqual(['1', '-0.25', '10', 'text', 'true', 'false', '', '']);
    expect(toCell({ a: [1, 'x'], b: null })).toBe('{"a":[1,"x"],"b":null}');
    expect(toCell(new Float32Array([0.5, 2]))).toBe('[0.5,2]');
    expect(toCell(Buffer.from([1, 2, 255]))).toBe('[1,2,255]');
    expect(toCell({ data: new Uint8Array([7]), n: 3n })).toBe('{"data":[7],"n":"3"}');
    expect(toCell(new Date(Date.UTC(2024, 0, 2, 3, 4, 5)))).toBe('2024-01-02T03:04:05.000Z');
  });
});

describe('builtin - which jobs end with the run', () => {
  const job = (name: string, builtin: string | undefined, inputs: string[], outputs: string[]) =>
    ({ name, builtin, inputs, outputs }) as unknown as JobSpec;
  const pipe = (name: string, producer: string, consumer: string) => ({ name, producer, consumer }) as unknown as PipeSpec;

  it('the fed jobs, and the jobs only they feed; not a join that also takes another source', () => {
    const network = {
      jobs: [
        job('count', undefined, [], ['n']),
        job('console', 'console', [], ['line', 'factor']),
        job('echo', undefined, ['line'], ['echoed']),
        job('save', 'csv-sink', ['echoed'], []),
        job('scale', undefined, ['n', 'factor'], []),
        job('log', 'logging-sink', [], []),
        job('samples', 'logging', [], ['s']),
        job('keep', 'csv-sink', ['s'], []),
      ],
      pipes: {
        n: pipe('n', 'count', 'scale'),
        line: pipe('line', 'console', 'echo'),
        echoed: pipe('echoed', 'echo', 'save'),
        factor: pipe('factor', 'console', 'scale'),
        s: pipe('s', 'samples', 'keep'),
      },
    } as unknown as Network;
    const fed = fedJobs(network);
    expect(fed.consoles).toEqual(['console']);
    expect(fed.sampleReaders).toEqual(['log', 'samples']);
    expect([...fed.endWithRun].sort()).toEqual(['console', 'echo', 'keep', 'log', 'samples', 'save']);
  });
});
