import { describe, expect, it } from 'vitest';
import { fixture, jobLines, processesTagged, runCli } from '../helpers/cli.js';

describe('run - failures', () => {
  it("a job's exception stops the run with the job's name and its stack, exit code 1, no process left", async () => {
    const r = await runCli(['run', fixture('throws.yaml')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error: job 'bad' failed: boom at 5/);
    expect(r.stderr).toMatch(/at explode \(.*jobs\.ts:\d+:\d+\)/);
    expect(r.stderr).not.toMatch(/dist\/worker/);
    expect(processesTagged(r.tag)).toEqual([]);
  });

  it('bytes written straight to a worker\'s fd 1 (its control channel) fail that job with a clear error, not a client crash', async () => {
    const r = await runCli(['run', fixture('raw-stdout.yaml')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error: job 'noisy' failed during worker: .*standard output is its control channel/);
    expect(r.stderr).toMatch(/--trace-deopt/);
    expect(r.stderr).not.toMatch(/^\s+at /m); // no stack trace from our code
    expect(processesTagged(r.tag)).toEqual([]);
  });
});

describe('run - codecs between workers', () => {
  it('raw-bytes frames arrive intact although the source rewrites one array for every frame', async () => {
    // float32 x 16384 and bytes x 40001 go to the socket without a copy: the source must not run (and
    // rewrite its array) until the kernel has taken the frame; float64 x 1001 and int16 x 3 are copied
    // and padded so that they arrive as aligned views.
    const r = await runCli(['run', fixture('frames.yaml')]);
    expect(r.code).toBe(0);
    expect(jobLines(r.stdout, 'chk32')).toEqual(['float32 frames 3000 bad 0 wrong-type 0']);
    expect(jobLines(r.stdout, 'chkf')).toEqual(['float32 frames 3000 bad 0 wrong-type 0']);
    expect(jobLines(r.stdout, 'chkb')).toEqual(['bytes frames 3000 bad 0 wrong-type 0']);
    expect(jobLines(r.stdout, 'chk64')).toEqual(['float64 frames 3000 bad 0 wrong-type 0']);
    expect(jobLines(r.stdout, 'chk16')).toEqual(['int16 frames 3000 bad 0 wrong-type 0']);
    expect(processesTagged(r.tag)).toEqual([]);
  });

  it('jobs that borrow their input get intact views of one reused buffer; what they send on and what waits is copied', async () => {
    const r = await runCli(['run', fixture('borrow.yaml')]);
    expect(r.code).toBe(0);
    expect(jobLines(r.stdout, 'chkb')).toEqual(['bytes frames 2000 bad 0 wrong-type 0 reused-memory yes']);
    expect(jobLines(r.stdout, 'chk32')).toEqual(['float32 frames 3000 bad 0 wrong-type 0 reused-memory yes']);
    expect(jobLines(r.stdout, 'chka')).toEqual(['int16 frames 3000 bad 0 wrong-type 0']);
    expect(processesTagged(r.tag)).toEqual([]);
  });

  it('float32, bytes, json and a custom codec arrive as the same types and values', async () => {
    const r = await runCli(['run', fixture('codecs.yaml')]);
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
    expect(jobLines(r.stdout, 'sink')).toEqual([
      'Float32Array[1,0.5,-1,0.25] Buffer(8)=1 {"i":1,"name":"b1","tags":["x"]} 1000',
      'Float32Array[2,1,-2,0.25] Buffer(8)=2 {"i":2,"name":"b2","tags":["x"]} 2000',
      'Float32Array[3,1.5,-3,0.25] Buffer(8)=3 {"i":3,"name":"b3","tags":["x"]} 3000',
    ]);
  });
});
