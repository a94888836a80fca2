import { describe, expect, it } from 'vitest';
import { fixture, jobLines, processesTagged, runCli } from '../helpers/cli.js';

describe('run - rounds, finishing and heads', () => {
  it('groups a 1..22 stream into exact rounds of block_count 5 and counts the incomplete rest', async () => {
    const r = await runCli(['run', fixture('groups.yaml'), '--json']);
    expect(r.code).toBe(0);
    expect(jobLines(r.stderr, 'sink')).toEqual(['[1,2,3,4,5]', '[6,7,8,9,10]', '[11,12,13,14,15]', '[16,17,18,19,20]']);
    const summary = JSON.parse(r.stdout);
    expect(summary.pipes[0].incomplete).toBe(2);
  });

  it('finishes through three connectors: every block arrives, every process is gone', async () => {
    const r = await runCli(['run', fixture('chain3.yaml')]);
    expect(r.code).toBe(0);
    expect(jobLines(r.stdout, 'sink')).toEqual(Array.from({ length: 100 }, (_, i) => String(i + 1)));
    expect(processesTagged(r.tag)).toEqual([]);
  });

  it('runs plain and generator sources, async run with out(), finish() and head bits of every size', async () => {
    const r = await runCli(['run', fixture('api.yaml')]);
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
    // Plain source 1..4 -> split into value and square -> joined again. First block carries reset.
    expect(jobLines(r.stdout, 'show')).toEqual(['[1,1] -R-- size=1', '[2,4] ---- size=1', '[3,9] ---- size=1', '[4,16] ---- size=1']);
    // finish() on the 3rd block: finished bit on it; the user bit 3 survives a connector; head_size 3 from the YAML.
    expect(jobLines(r.stdout, 'heads')).toEqual(['1 -R-U size=3', '2 ---- size=3', '3 --FU size=3']);
  });
});

describe('run - flow control', () => {
  it('carries 200 000 blocks through a forward to a slow sink with none lost and bounded memory', async () => {
    const r = await runCli(['run', fixture('slow-sink.yaml'), '--json']);
    expect(r.code).toBe(0);
    expect(jobLines(r.stderr, 'sink')).toEqual(['received 200000 errors 0']);
    const summary = JSON.parse(r.stdout);
    expect(r.stderr).not.toMatch(/produced without credit/);
    for (const pipe of summary.pipes) expect(pipe).toMatchObject({ sent: 200000, blocks: 200000, dropped: 0, dummies: 0 });
    // 200 000 x 1 KiB would be ~200 MB queued somewhere without backpressure.
    for (const j of summary.jobs) expect(j.maxRss).toBeLessThan(150 * 1024 * 1024);
    // every job did work: its CPU time from start to end is reported (200 000 blocks are not free)
    for (const j of summary.jobs) expect(j.cpuMs).toBeGreaterThan(0);
  });

  // Each step of an async generator used to be raced against one shared "all consumers closed" promise,
  // which kept a reaction per value (~350 bytes): 1 M values took the source's worker to ~420 MB.
  it('an async generator source of a million blocks keeps its memory flat', async () => {
    const r = await runCli(['run', fixture('async-source.yaml'), '--json']);
    expect(r.code).toBe(0);
    expect(jobLines(r.stderr, 'sink')).toEqual(['real 1000000 dummies 0']);
    const src = JSON.parse(r.stdout).jobs.find((j: { job: string }) => j.job === 'src');
    expect(src.maxRss).toBeLessThan(150 * 1024 * 1024);
  });

  it('a source whose async generator waits forever ends when its consumers have finished', async () => {
    const r = await runCli(['run', fixture('stalled-source.yaml')]);
    expect(r.code).toBe(0);
    expect(jobLines(r.stdout, 'sink')).toEqual(['took 5']);
    expect(processesTagged(r.tag)).toEqual([]);
  });

  it('a source with a fast and a slow consumer waits for credit on both, however often the fast one wakes it', async () => {
    const r = await runCli(['run', fixture('two-speeds.yaml'), '--json']);
    expect(r.stderr).not.toMatch(/produced without credit/);
    expect(r.code).toBe(0);
    expect(jobLines(r.stderr, 'quick')).toEqual(['received 20000 errors 0']);
    expect(jobLines(r.stderr, 'lazy')).toEqual(['received 20000 errors 0']);
    expect(processesTagged(r.tag)).toEqual([]);
  });

  it('drop: oldest never blocks the producer, counts every drop, and each drop becomes a corrupted dummy', async () => {
    const r = await runCli(['run', fixture('drop-oldest.yaml'), '--json']);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    const pipe = summary.pipes[0];
    expect(pipe.dropped).toBeGreaterThan(0);
    expect(pipe.sent + pipe.dropped).toBe(20000);
    expect(pipe.dummies).toBe(pipe.dropped);
    expect(jobLines(r.stderr, 'sink')).toEqual([`real ${pipe.sent} dummies ${pipe.dropped}`]);
  });
});

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
