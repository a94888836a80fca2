import { MarveloError } from '../errors.js';

/** A job of a network file, as parsed: only the keys the rewrite reads are typed. */
export interface RawJobEntry {
  name?: unknown;
  inputs?: unknown;
  outputs?: unknown;
  [key: string]: unknown;
}

export interface Rewrite {
  /** The jobs the test keeps, unchanged. */
  kept: RawJobEntry[];
  /** Pipes no kept job uses any more (their `pipes:` entries go too). */
  dropped: Set<string>;
}

const pipesOf = (job: RawJobEntry, side: 'inputs' | 'outputs'): string[] => (Array.isArray(job[side]) ? (job[side] as unknown[]).map(String) : []);

/**
 * Which jobs of a network stay when the test feeds some pipes (their producers go) and collects
 * others (their consumers go). Jobs that then feed only removed jobs, or are fed only by removed
 * jobs, go too. Every pipe between a kept and a removed job must be fed or collected.
 */
export function rewriteJobs(jobs: RawJobEntry[], feed: readonly string[], collect: readonly string[]): Rewrite {
  const producer = new Map<string, string>();
  const consumer = new Map<string, string>();
  for (const job of jobs) {
    for (const p of pipesOf(job, 'outputs')) producer.set(p, String(job.name));
    for (const p of pipesOf(job, 'inputs')) consumer.set(p, String(job.name));
  }
  const pipes = [...new Set([...producer.keys(), ...consumer.keys()])];
  const unknown = (pipe: string, option: string) =>
    new MarveloError('MRV_TEST_HARNESS', `${option} names pipe '${pipe}', which the network does not have`, {
      pipe,
      hint: `its pipes are ${pipes.join(', ') || '(none)'}`,
    });
  for (const pipe of feed) if (!consumer.has(pipe)) throw unknown(pipe, 'feed');
  for (const pipe of collect) if (!producer.has(pipe)) throw unknown(pipe, 'collect');
  const both = feed.find((p) => collect.includes(p));
  if (both !== undefined) {
    throw new MarveloError('MRV_TEST_HARNESS', `pipe '${both}' is both fed and collected`, { pipe: both, hint: 'feed a pipe into the part you test, collect one that leaves it' });
  }
  const removed = new Set<string>();
  for (const p of feed) if (producer.has(p)) removed.add(producer.get(p)!);
  for (const p of collect) if (consumer.has(p)) removed.add(consumer.get(p)!);
  const fedOrCollected = new Set([...feed, ...collect]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const job of jobs) {
      const name = String(job.name);
      if (removed.has(name)) continue;
      const outs = pipesOf(job, 'outputs');
      const ins = pipesOf(job, 'inputs');
      const feedsOnlyRemoved = outs.length > 0 && outs.every((p) => !fedOrCollected.has(p) && removed.has(consumer.get(p) ?? ''));
      const fedOnlyByRemoved = ins.length > 0 && ins.every((p) => !fedOrCollected.has(p) && removed.has(producer.get(p) ?? ''));
      if (feedsOnlyRemoved || fedOnlyByRemoved) {
        removed.add(name);
        grew = true;
      }
    }
  }
  const dropped = new Set<string>();
  for (const pipe of pipes) {
    const from = producer.get(pipe);
    const to = consumer.get(pipe);
    const fromKept = from !== undefined && !removed.has(from);
    const toKept = to !== undefined && !removed.has(to);
    if (feed.includes(pipe) && !toKept) throw cutOff(pipe, 'fed', to!, 'its consumer');
    if (collect.includes(pipe) && !fromKept) throw cutOff(pipe, 'collected', from!, 'its producer');
    if (fedOrCollected.has(pipe)) continue;
    if (!fromKept && !toKept) dropped.add(pipe);
    else if (fromKept !== toKept && from !== undefined && to !== undefined) {
      const [kept, gone] = fromKept ? [from, to] : [to, from];
      throw new MarveloError('MRV_TEST_HARNESS', `pipe '${pipe}' joins job '${kept}', which the test keeps, and job '${gone}', which it replaces`, {
        pipe,
        hint: `${fromKept ? 'collect' : 'feed'} pipe '${pipe}' as well, or feed and collect pipes so that '${gone}' stays`,
      });
    }
  }
  return { kept: jobs.filter((j) => !removed.has(String(j.name))), dropped };
}

function cutOff(pipe: string, how: string, job: string, role: string): MarveloError {
  return new MarveloError('MRV_TEST_HARNESS', `pipe '${pipe}' is ${how}, but ${role} '${job}' is replaced too`, {
    pipe,
    hint: 'the fed and collected pipes must leave a part of the network between them: check which pipes you feed and collect',
  });
}
