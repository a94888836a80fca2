import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultJobName, usesOf } from '../../src/testing/job-ref.js';
import { ROOT } from '../helpers/cli.js';

describe('the job a test names', () => {
  const scale = `${ROOT}test/testing/jobs/scale.ts`;

  it('is a builtin as it is, a module path made absolute from the current directory, a file URL as its path', () => {
    expect(usesOf('builtin:forward')).toBe('builtin:forward');
    expect(usesOf('test/testing/jobs/scale.ts')).toBe(scale);
    expect(usesOf('test/testing/jobs/harness-jobs.ts#Count')).toBe(`${ROOT}test/testing/jobs/harness-jobs.ts#Count`);
    expect(usesOf(`${pathToFileURL(scale).href}#Scale`)).toBe(`${scale}#Scale`);
  });

  it('keeps the python: prefix of a python job, its file made absolute', () => {
    expect(usesOf('python:test/testing/jobs/double.py#Double')).toBe(`python:${ROOT}test/testing/jobs/double.py#Double`);
    expect(() => usesOf('python:nowhere.py#Double')).toThrow(/job module nowhere.py does not exist/);
  });

  it('names the job after its export, else its file, else its builtin, unless the test names it', () => {
    expect(defaultJobName('jobs/scale.ts')).toBe('scale');
    expect(defaultJobName('jobs/harness-jobs.ts#Positive')).toBe('Positive');
    expect(defaultJobName('builtin:csv-sink')).toBe('csv-sink');
    expect(defaultJobName('python:jobs/jobs.py#ReduceJob')).toBe('ReduceJob');
    expect(defaultJobName(pathToFileURL('/x/my-job.ts').href)).toBe('my-job');
    expect(defaultJobName('jobs/9lives.ts')).toBe('job');
  });
});
