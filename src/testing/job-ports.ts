import { MarveloError } from '../errors.js';
import type { PipeOptions, TestJobOptions } from './test-job.js';

/** The tested job's pipes, from testJob's options: input pipes with their blocks, output pipes, and pipe options. */
export interface JobPorts {
  inputs: [string, readonly unknown[]][];
  outputs: string[];
  pipes: Record<string, PipeOptions>;
}

export function jobPorts(opts: TestJobOptions): JobPorts {
  const inputs = namedInputs(opts.inputs);
  const outputs = outputNames(opts.outputs);
  const pipes = pipeOptions(inputs, outputs, opts);
  checkOptionalFeeds(inputs, pipes);
  return { inputs, outputs, pipes };
}

function namedInputs(inputs: TestJobOptions['inputs']): [string, readonly unknown[]][] {
  if (inputs === undefined) return [];
  if (Array.isArray(inputs)) return (inputs as readonly (readonly unknown[])[]).map((blocks, i) => [`in${i + 1}`, checkedBlocks(blocks, `input ${i + 1}`)]);
  return Object.entries(inputs as Record<string, readonly unknown[]>).map(([pipe, blocks]) => [pipe, checkedBlocks(blocks, `input '${pipe}'`)]);
}

function checkedBlocks(blocks: unknown, what: string): readonly unknown[] {
  if (Array.isArray(blocks)) return blocks;
  throw new MarveloError('MRV_TEST_HARNESS', `${what} is not a list of blocks`, {
    hint: 'give each input as an array of values, e.g. inputs: [[1, 2, 3]] (one array per input; a value that is itself an array goes inside: [[[1, 2]]])',
  });
}

function outputNames(outputs: TestJobOptions['outputs']): string[] {
  if (outputs === undefined) return ['out1'];
  if (typeof outputs === 'number') return Array.from({ length: outputs }, (_, i) => `out${i + 1}`);
  return [...outputs];
}

function pipeOptions(inputs: [string, readonly unknown[]][], outputs: string[], opts: TestJobOptions): Record<string, PipeOptions> {
  const pipes: Record<string, PipeOptions> = {};
  const known = new Set([...inputs.map(([p]) => p), ...outputs]);
  if (opts.blockCount !== undefined) for (const [pipe] of inputs) pipes[pipe] = { block_count: opts.blockCount };
  for (const [pipe, optional] of Object.entries(opts.optional ?? {})) {
    mustKnow(known, pipe, 'optional');
    const { block_count: _ignored, ...rest } = pipes[pipe] ?? {};
    pipes[pipe] = { ...rest, optional };
  }
  for (const [pipe, options] of Object.entries(opts.pipes ?? {})) {
    mustKnow(known, pipe, 'pipes');
    pipes[pipe] = { ...pipes[pipe], ...options };
  }
  for (const pipe of outputs) if (pipes[pipe] !== undefined) pipes[pipe] = asCollected(pipes[pipe]);
  return pipes;
}

/**
 * A collected pipe's options: its codec and the producer's (drop, flush...), never the consumer's
 * grouping or async reading, which belonged to the replaced consumer: the test sees every block.
 */
export function asCollected(options: PipeOptions): PipeOptions {
  const { block_count: _count, async: _async, optional: _optional, ...rest } = options;
  return rest;
}

function mustKnow(known: Set<string>, pipe: string, option: string): void {
  if (known.has(pipe)) return;
  throw new MarveloError('MRV_TEST_HARNESS', `option ${option} names pipe '${pipe}', which the job does not have`, {
    hint: `the job's pipes are ${[...known].join(', ') || '(none)'}: inputs are in1, in2, ... unless named by the inputs record, outputs out1, out2, ... unless named by the outputs option`,
  });
}

/**
 * An optional input reads whatever arrived by the time of each round, so feeding one beside any other
 * fed input would make the rounds depend on timing: refused. Unfed, it gives its default (or stored) value.
 */
function checkOptionalFeeds(inputs: [string, readonly unknown[]][], pipes: Record<string, PipeOptions>): void {
  const fed = inputs.filter(([, blocks]) => blocks.length > 0).map(([p]) => p);
  const fedOptional = fed.filter((p) => pipes[p]?.optional !== undefined || pipes[p]?.async === true);
  if (fedOptional.length === 0 || fed.length === 1) return;
  throw new MarveloError('MRV_TEST_HARNESS', `optional input '${fedOptional[0]}' is fed beside input '${fed.find((p) => p !== fedOptional[0])}': which round reads which value would depend on timing`, {
    hint: 'test the job with its optional inputs unfed (they give their default), or with one optional input fed and no other input fed (one round per value)',
  });
}

