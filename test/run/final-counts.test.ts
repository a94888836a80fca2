import { describe, expect, it } from 'vitest';
import { fixture, jobLines, processesTagged, runCli, startCli } from '../helpers/cli.js';

interface PipeCounts {
  pipe: string;
  blocks: number;
  dropped: number;
  dummies: number;
  discarded: number;
  sent: number;
  partial: boolean;
}
interface Summary {
  status: string;
  pipes: PipeCounts[];
  jobs: { job: string; rounds: number; partial: boolean }[];
}

const pipeOf = (s: Summary, name: string) => s.pipes.find((p) => p.pipe === name)!;
const partialJobs = (s: Summary) => s.jobs.filter((j) => j.partial).map((j) => j.job);
const partialPipes = (s: Summary) => s.pipes.filter((p) => p.partial).map((p) => p.pipe);

/** The rows of the text summary's pipe table: pipe name -> its cells after the route. */
function textRows(stderr: string): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  for (const line of stderr.split('\n')) {
    const m = line.match(/^ {2}(\w+)\s+\S+ -> \S+\s+(.*)$/);
    if (m) rows.set(m[1]!, m[2]!.trim().split(/\s+/));
  }
  return rows;
}

describe('run - the summary after an interrupt or a failure has final counts', () => {
  it('Ctrl-C: the counts are what the jobs did when they stopped, the sink\'s what it printed', async () => {
    const run = startCli(['run', fixture('endless.yaml'), '--json']);
    await run.waitFor(/^sink\s*\| 3$/m, 'stderr');
    run.proc.kill('SIGINT');
    const r = await run.done;
    expect(r.code).toBe(130);
    const summary = JSON.parse(r.stdout) as Summary;
    expect(summary.status).toBe('interrupted');
    const printed = jobLines(r.stderr, 'sink');
    expect(printed).toEqual(printed.map((_, i) => String(i + 1)));
    const a = pipeOf(summary, 'a');
    const b = pipeOf(summary, 'b');
    expect(summary.jobs.find((j) => j.job === 'sink')!.rounds).toBe(printed.length);
    // what reached the sink and did not wait unread when it stopped is what it printed
    expect(b.blocks - b.discarded).toBe(printed.length);
    // nothing downstream exceeds what came from upstream
    expect(b.blocks).toBeLessThanOrEqual(b.sent);
    expect(b.sent).toBeLessThanOrEqual(a.blocks);
    expect(a.blocks).toBeLessThanOrEqual(a.sent);
    expect(partialPipes(summary)).toEqual([]);
    expect(partialJobs(summary)).toEqual([]);
    expect(processesTagged(r.tag)).toEqual([]);
  });

  it('Ctrl-C with a job stuck in a loop: the others report final counts, the stuck job\'s pipes are marked partial', async () => {
    const run = startCli(['run', fixture('stuck.yaml')]);
    await run.waitFor(/^stuck\s*\| spinning$/m, 'stdout');
    await run.waitFor(/^sink\s*\| 10$/m, 'stdout');
    run.proc.kill('SIGINT');
    const r = await run.done;
    expect(r.code).toBe(130);
    const rows = textRows(r.stderr);
    expect(rows.get('b')![0]).toBe(String(jobLines(r.stdout, 'sink').length));
    expect([...rows].filter(([, cells]) => cells.at(-1) === 'partial').map(([pipe]) => pipe)).toEqual(['c', 'd']);
    expect(r.stderr).toMatch(/^ {2}partial: the counts of stuck are the last seen, not final \(the worker did not report them\)$/m);
    expect(processesTagged(r.tag)).toEqual([]);
  });

  it('a worker that dies without a report leaves its pipes partial; the others are final', async () => {
    const r = await runCli(['run', fixture('dies.yaml'), '--json']);
    expect(r.code).toBe(1);
    const summary = JSON.parse(r.stdout) as Summary;
    expect(summary.status).toBe('failed');
    // whichever is reported first (the killed worker, or the sink's broken pipe), no stack from our code or Node's
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(partialJobs(summary)).toEqual(['die']);
    expect(partialPipes(summary)).toEqual(['a', 'b']);
    // the sink stopped with what it had printed
    expect(pipeOf(summary, 'b').blocks - pipeOf(summary, 'b').discarded).toBe(jobLines(r.stderr, 'sink').length);
    expect(processesTagged(r.tag)).toEqual([]);
  });

  it('a job that throws reports its final counts with its failure: nothing is partial, nothing downstream exceeds its upstream', async () => {
    const r = await runCli(['run', fixture('throws.yaml'), '--json']);
    expect(r.code).toBe(1);
    const summary = JSON.parse(r.stdout) as Summary;
    expect(partialJobs(summary)).toEqual([]);
    const a = pipeOf(summary, 'a');
    const b = pipeOf(summary, 'b');
    // Thrower passed 1..4 on and threw at 5 (a round counts once run() has returned)
    expect(summary.jobs.find((j) => j.job === 'bad')!.rounds).toBe(4);
    expect(b.sent).toBe(4);
    expect(b.blocks).toBeLessThanOrEqual(b.sent);
    expect(b.blocks - b.discarded).toBe(jobLines(r.stderr, 'sink').length);
    expect(a.blocks).toBeLessThanOrEqual(a.sent);
  });
});
