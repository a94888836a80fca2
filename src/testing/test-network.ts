import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import type { RunSummary } from '../api/summary.js';
import { validateNetwork } from '../config/load.js';
import { MarveloError, MarveloErrors } from '../errors.js';
import type { CollectedBlock } from './block.js';
import { writeFeed } from './exchange.js';
import { DEFAULT_TIMEOUT_MS, harnessJob, runHarnessNetwork, type JobError, type PrintedLine } from './harness-run.js';
import { asCollected } from './job-ports.js';
import type { PipeOptions } from './test-job.js';
import { rewriteJobs, type RawJobEntry } from './network-rewrite.js';

export interface TestNetworkOptions {
  /** Pipes the test feeds, with their blocks (values, or block(value, { head })): their producers are replaced. */
  feed?: Readonly<Record<string, readonly unknown[]>>;
  /** Pipes the test collects: their consumers are replaced, and what they carried is returned. */
  collect?: readonly string[];
  /** Working directory of the jobs (default process.cwd()). */
  cwd?: string;
  /** The longest the run may take (default: the file's `timeout:`, else 30 000 ms); then it throws MRV_RUN_TIMEOUT. */
  timeoutMs?: number;
}

export interface TestNetworkResult {
  /** Every block each collected pipe carried, by pipe name. */
  collected: Record<string, CollectedBlock[]>;
  /** The values only, by pipe name. */
  values: Record<string, unknown[]>;
  /** Every line the network's jobs printed (the harness's own jobs print none). */
  printed: PrintedLine[];
  /** Each failed job's exception; the first is `error`. */
  errors: JobError[];
  error: JobError | undefined;
  summary: RunSummary;
  /** The run's id (its workers carry it on their command line). */
  runId: string;
}

/**
 * Runs a network file with some pipes fed by the test and some collected: the jobs between them run in
 * real workers, as in `marvelo run`. The rewritten file is written beside the original (so its relative
 * paths hold) and removed afterwards.
 */
export async function testNetwork(file: string, opts: TestNetworkOptions = {}): Promise<TestNetworkResult> {
  const path = resolve(file);
  const feed = Object.entries(opts.feed ?? {});
  const collect = [...(opts.collect ?? [])];
  const raw = readNetwork(path);
  const jobs = Array.isArray(raw.jobs) ? (raw.jobs as RawJobEntry[]) : [];
  const { kept, dropped } = rewriteJobs(jobs, feed.map(([p]) => p), collect);
  const names = new Set(jobs.map((j) => String(j.name)));
  const unique = (base: string) => {
    let name = base;
    for (let i = 2; names.has(name); i++) name = `${base}-${i}`;
    names.add(name);
    return name;
  };
  const dir = mkdtempSync(join(tmpdir(), 'marvelo-test-'));
  const rewritten = join(dirname(path), `.${basename(path, extname(path))}.test-${randomBytes(4).toString('hex')}.yaml`);
  try {
    const added: RawJobEntry[] = [];
    for (const [pipe, blocks] of feed) {
      const data = join(dir, `feed-${added.length}.bin`);
      writeFeed(data, blocks);
      added.push({ name: unique(`feed-${pipe}`), uses: harnessJob('feed'), params: { file: data }, outputs: [pipe] });
    }
    const collectors = new Map<string, string>();
    for (const pipe of collect) {
      const data = join(dir, `collect-${collectors.size}.bin`);
      collectors.set(pipe, data);
      added.push({ name: unique(`collect-${pipe}`), uses: harnessJob('collect'), params: { file: data }, inputs: [pipe] });
    }
    const { hooks: _hooks, schedule: _schedule, ...rest } = raw;
    const listed = raw.pipes !== null && typeof raw.pipes === 'object' ? (raw.pipes as Record<string, PipeOptions>) : {};
    const pipes = Object.fromEntries(Object.entries(listed).filter(([p]) => !dropped.has(p)).map(([p, o]) => [p, collect.includes(p) ? asCollected(o) : o]));
    const network = {
      ...rest,
      name: typeof raw.name === 'string' ? raw.name : basename(path, extname(path)),
      timeout: opts.timeoutMs !== undefined ? `${opts.timeoutMs}ms` : (raw.timeout ?? `${DEFAULT_TIMEOUT_MS}ms`),
      jobs: [...kept, ...added],
      ...(Object.keys(pipes).length > 0 ? { pipes } : {}),
    };
    writeFileSync(rewritten, stringify(network));
    const run = await runHarnessNetwork(rewritten, collectors, opts.cwd).catch(async (e: unknown) => {
      throw await asErrorsOfOriginal(e, rewritten, path);
    });
    const harness = new Set(added.map((j) => String(j.name)));
    const errors = [...run.failures.values()];
    const collected = Object.fromEntries(collect.map((p) => [p, run.collected.get(p) ?? []]));
    return {
      collected,
      values: Object.fromEntries(Object.entries(collected).map(([p, blocks]) => [p, blocks.map((b) => b.value)])),
      printed: run.printed.filter((l) => !harness.has(l.job)),
      errors,
      error: errors[0],
      summary: run.summary,
      runId: run.runId,
    };
  } finally {
    rmSync(rewritten, { force: true });
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A load error points into the rewritten file, which is gone once the test returns: when the original
 * file has errors of its own, those are what the test gets (with its lines); else the error as it was.
 */
async function asErrorsOfOriginal(e: unknown, rewritten: string, original: string): Promise<unknown> {
  const errors = e instanceof MarveloErrors ? e.errors : e instanceof MarveloError ? [e] : [];
  if (!errors.some((err) => err.where?.file === rewritten)) return e;
  const { errors: own } = await validateNetwork(original);
  if (own.length === 0) return e;
  return own.length === 1 ? own[0] : new MarveloErrors(own);
}

function readNetwork(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new MarveloError('MRV_CONFIG_FILE', `cannot read network file ${path}: ${(e as Error).message}`, { hint: 'give the path of a network file, absolute or relative to the current directory' });
  }
  const doc: unknown = parse(text);
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new MarveloError('MRV_TEST_HARNESS', `network file ${path} is not a mapping with jobs:`, { hint: '`marvelo validate` shows what is wrong with it' });
  }
  return doc as Record<string, unknown>;
}
