import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { RunSummary } from '../api/summary.js';
import { MarveloError, MarveloErrors } from '../errors.js';
import type { CollectedBlock } from './block.js';
import { writeFeed } from './exchange.js';
import { DEFAULT_TIMEOUT_MS, harnessJob, runHarnessNetwork, type JobError } from './harness-run.js';
import { jobPorts } from './job-ports.js';
import { defaultJobName, usesOf } from './job-ref.js';

/** A pipe's options as in the network file's `pipes:` (codec, block_count, optional, ...). */
export type PipeOptions = Record<string, unknown>;

/** An optional (async) input's settings, as the network file's `optional:`. */
export interface OptionalOptions {
  default?: unknown;
  store?: boolean;
  buffer?: number;
  drop?: 'oldest' | 'newest';
}

export interface TestJobOptions {
  /** The job's `params:`. */
  params?: Record<string, unknown>;
  /**
   * The blocks of each input: values, or block(value, { head }). By position (pipes in1, in2, ...), or
   * a record whose keys name the input pipes, in the order of run()'s arguments. None: a source.
   */
  inputs?: readonly (readonly unknown[])[] | Readonly<Record<string, readonly unknown[]>>;
  /** How many outputs the job has (pipes out1, out2, ...), or their pipe names. Default 1; 0 for a sink. */
  outputs?: number | readonly string[];
  /** Items the job reads from this.clientFeed(), in order (lines for builtin:console); then its feed ends. */
  clientFeed?: readonly unknown[];
  /** block_count of every input: run() gets arrays of that many values. */
  blockCount?: number;
  /** Inputs that are optional (async), by pipe name, with their settings. */
  optional?: Readonly<Record<string, OptionalOptions>>;
  /** Options of any pipe by name (codec, block_count, optional, max_queue...), over the ones above. */
  pipes?: Readonly<Record<string, PipeOptions>>;
  /** The network's head_size (1 to 4 bytes). */
  headSize?: number;
  /** Other keys of the job's entry in the network file (env, timeout, args of an executable...). */
  job?: Readonly<Record<string, unknown>>;
  /** The job's name (default: its export's name, else its module's file name, e.g. 'scale'). */
  name?: string;
  /** Working directory of the jobs (default process.cwd()). */
  cwd?: string;
  /** The longest the whole test run may take (default 30 000 ms); then it throws MRV_RUN_TIMEOUT. */
  timeoutMs?: number;
}

export interface TestJobResult {
  /** Per output, by position: every block it sent, in order. */
  outputs: CollectedBlock[][];
  /** Per output, by position: the values only. */
  values: unknown[][];
  /** The blocks of each output by its pipe name. */
  byPipe: Record<string, CollectedBlock[]>;
  /** What the job printed to stdout, line by line, in order. */
  lines: string[];
  /** What the job printed to stderr. */
  stderr: string[];
  /** The job's exception, or undefined when it finished. */
  error: JobError | undefined;
  /** Rounds the job ran (blocks it sent, for a source). */
  rounds: number;
  summary: RunSummary;
  /** The run's id (its workers carry it on their command line). */
  runId: string;
}

/** Runs one job in a real worker on the given input blocks and returns what it sent, printed and threw. */
export async function testJob(ref: string, opts: TestJobOptions = {}): Promise<TestJobResult> {
  const uses = usesOf(ref);
  const name = opts.name ?? defaultJobName(ref);
  const { inputs, outputs, pipes } = jobPorts(opts);
  const dir = mkdtempSync(join(tmpdir(), 'marvelo-test-'));
  try {
    const jobs: Record<string, unknown>[] = [];
    for (const [pipe, blocks] of inputs) {
      const file = join(dir, `feed-${pipe}.bin`);
      writeFeed(file, blocks);
      jobs.push({ name: `feed-${pipe}`, uses: harnessJob('feed'), params: { file }, outputs: [pipe] });
    }
    jobs.push({ ...opts.job, name, uses, ...(opts.params ? { params: opts.params } : {}), inputs: inputs.map(([p]) => p), outputs });
    const collectors = new Map<string, string>();
    for (const pipe of outputs) {
      const file = join(dir, `collect-${pipe}.bin`);
      collectors.set(pipe, file);
      jobs.push({ name: `collect-${pipe}`, uses: harnessJob('collect'), params: { file }, inputs: [pipe] });
    }
    const network = {
      name: `test-${name}`,
      ...(opts.headSize === undefined ? {} : { head_size: opts.headSize }),
      timeout: `${opts.timeoutMs ?? DEFAULT_TIMEOUT_MS}ms`,
      jobs,
      ...(Object.keys(pipes).length > 0 ? { pipes } : {}),
    };
    const file = join(dir, 'network.yaml');
    writeFileSync(file, stringify(network));
    const clientFeeds = new Map(opts.clientFeed === undefined ? [] : [[name, opts.clientFeed]]);
    const run = await runHarnessNetwork(file, collectors, opts.cwd, clientFeeds).catch((e: unknown) => {
      throw withoutGeneratedFile(e, file);
    });
    const harnessFailure = [...run.failures.values()].find((f) => f.job !== name);
    if (harnessFailure !== undefined && !run.failures.has(name)) throw harnessError(harnessFailure);
    const outs = outputs.map((p) => run.collected.get(p) ?? []);
    const printedBy = (stream: 'stdout' | 'stderr') => run.printed.filter((l) => l.job === name && l.stream === stream).map((l) => l.line);
    return {
      outputs: outs,
      values: outs.map((blocks) => blocks.map((b) => b.value)),
      byPipe: Object.fromEntries(outputs.map((p, i) => [p, outs[i]!])),
      lines: printedBy('stdout'),
      stderr: printedBy('stderr'),
      error: run.failures.get(name),
      rounds: run.summary.jobs.find((j) => j.job === name)?.rounds ?? 0,
      summary: run.summary,
      runId: run.runId,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * An error of the network testJob generated (a job that cannot take its inputs, a wrong param of a
 * builtin) keeps its code and message but not the place in that file, which is gone once the test returns.
 */
function withoutGeneratedFile(e: unknown, file: string): unknown {
  const errors = e instanceof MarveloErrors ? e.errors : e instanceof MarveloError ? [e] : [];
  if (errors.length === 0 || !errors.every((err) => err.where?.file === file)) return e;
  const moved = errors.map(
    (err) =>
      new MarveloError(err.code, err.message, {
        job: err.job,
        pipe: err.pipe,
        hint: `${err.hint ?? 'see docs/errors.md'} (testJob: the inputs option gives one array of blocks per input pipe, outputs the number of outputs, params the params)`,
      }),
  );
  return moved.length === 1 ? moved[0] : new MarveloErrors(moved);
}

function harnessError(f: JobError): MarveloError {
  const what = f.job.startsWith('feed-') ? `feeding pipe '${f.job.slice(5)}'` : `collecting pipe '${f.job.slice(8)}'`;
  return new MarveloError('MRV_TEST_HARNESS', `${what} failed: ${f.message}`, {
    job: f.job,
    hint: f.hint ?? "give values the pipe's codec can carry (e.g. a Uint8Array of block_size bytes for a bytes pipe)",
  });
}
