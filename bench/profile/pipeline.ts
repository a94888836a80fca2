#!/usr/bin/env node
/**
 * Each small-chain job's per-block JavaScript, in one process and without sockets (the jobs are loaded
 * and bundled from bench/networks/small-chain.yaml):
 *   source:  JobHost (counter-source.ts) -> OutputPort -> FrameWriter -> a socket that counts bytes
 *   forward: frames -> StreamReader -> InputPort -> RoundAssembler -> JobHost (jobs/forward.ts) -> OutputPort -> ...
 *   sink:    frames -> StreamReader -> InputPort -> RoundAssembler -> JobHost (timed-sink.ts)
 * No kernel and no scheduler in the way, so it is a much steadier measure of the runtime's own work per
 * block than the 3-process chain on a shared VM (use it before and after a change to the hot path):
 *   node dist/bench/profile/pipeline.js [--job source|forward|sink|all] [--blocks 1000000] [--repeats 12]
 * Prints the minimum and the median ns per block over the repeats (the minimum is the steadier one).
 */
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadNetwork } from '../../src/config/load.js';
import type { JobSpec, PipeSpec } from '../../src/config/types.js';
import type { RunInfo } from '../../src/control/messages.js';
import { HOST, type ScriptJob } from '../../src/jobs/script-job.js';
import { importBundle } from '../../src/worker/boot/import-bundle.js';
import { applyWorkerV8Flags } from '../../src/worker/boot/v8-flags.js';
import { packageRoot } from '../../src/paths.js';
import { RoundAssembler } from '../../src/sync/round-assembler.js';
import { createCodec } from '../../src/wire/codecs.js';
import { FrameWriter } from '../../src/wire/frame-writer.js';
import { FrameKind } from '../../src/wire/types.js';
import { InputPort } from '../../src/worker/input-port.js';
import { JobHost } from '../../src/worker/job-host.js';
import { OutputPort } from '../../src/worker/output-port.js';
import { median } from '../lib/stats.js';
import { SinkSocket } from '../../test/helpers/sink-socket.js';

/** The ports take a net.Socket; this stands in for one (the only cast in this tool). */
const asSocket = (s: SinkSocket): Socket => s as unknown as Socket;

const JOBS = ['source', 'forward', 'sink'] as const;
type JobName = (typeof JOBS)[number];

// the V8 flags of a worker: they decide how much of the chain is inlined
applyWorkerV8Flags();

const { values } = parseArgs({
  options: {
    job: { type: 'string', default: 'all' },
    blocks: { type: 'string', default: '1000000' },
    repeats: { type: 'string', default: '12' },
  },
});
const blocks = Number(values.blocks);
const repeats = Number(values.repeats);
const chosen: readonly JobName[] = values.job === 'all' ? JOBS : [values.job as JobName];
if (!chosen.every((j) => JOBS.includes(j))) {
  process.stderr.write(`--job must be one of ${JOBS.join(', ')} or all, got '${values.job}'\n`);
  process.exit(2);
}

const { network, bundles } = await loadNetwork(join(packageRoot(), 'bench', 'networks', 'small-chain.yaml'));
const run: RunInfo = { id: 'pipeline', secret: new Uint8Array(32), dir: '', listen: ['unix'], host: '127.0.0.1', metricsMs: 1000, loggingMs: 1000, attempt: 0 };

interface Loaded {
  spec: JobSpec;
  input: PipeSpec | undefined;
  output: PipeSpec | undefined;
  Cls: new () => ScriptJob;
}

async function load(name: JobName): Promise<Loaded> {
  const spec = network.jobs.find((j) => j.name === name)!;
  const mod = await importBundle(bundles.get(name)!);
  return {
    spec,
    input: spec.inputs[0] === undefined ? undefined : network.pipes[spec.inputs[0]],
    output: spec.outputs[0] === undefined ? undefined : network.pipes[spec.outputs[0]],
    Cls: mod[spec.module!.exportName] as new () => ScriptJob,
  };
}

/** The stream a consumer receives: `blocks` msgpack integers as DATA frames (the first with the reset bit), then END. */
function inputStream(input: PipeSpec): Buffer {
  const parts: Buffer[] = [];
  const writer = new FrameWriter({ write: (b) => (parts.push(Buffer.from(b)), true) });
  const codec = createCodec(input.codec);
  for (let i = 1; i <= blocks; i++) writer.dataEncoded(i, i === 1 ? 0x40 : 0, input.headSize, codec, i);
  writer.end(blocks);
  writer.flush();
  return Buffer.concat(parts);
}

/**
 * As connectPeer does before the port's data frames: one frame through the reader's handshake handler,
 * so the reader's call sites have seen what they see in a worker (their type feedback decides inlining).
 */
function handshakeFrame(port: InputPort): void {
  const reader = port.reader;
  reader.onHandshake = () => {
    reader.onHandshake = undefined;
    reader.pause();
  };
  const { buffer, callback } = reader.onread;
  const target = typeof buffer === 'function' ? buffer() : buffer;
  target.set([0, 0, 0, 1, FrameKind.PAD]);
  callback(5, target);
}

/** One pass of `blocks` blocks through a fresh job and its ports; ns per block. */
async function onePass({ spec, input, output, Cls }: Loaded, stream: Buffer | undefined): Promise<number> {
  const job = new Cls();
  job.name = spec.name;
  job.inputNames = [...spec.inputs];
  job.outputNames = [...spec.outputs];
  job.params = structuredClone(spec.params) as typeof job.params;
  job[HOST].headSize = spec.headSize;
  await job.setup();
  const fail = (err: unknown): never => {
    throw err;
  };
  let finished!: () => void;
  const done = new Promise<void>((r) => (finished = r));
  const assembler =
    input && new RoundAssembler<unknown>([{ blockCount: 1, dummy: input.dummy, zero: null, wireHeadSize: input.headSize }], spec.headSize);
  const inPort =
    input &&
    new InputPort(input, createCodec(input.codec), {
      block: (sqn, head, value) => {
        if (!host.runNow(sqn, head, value)) assembler!.push(0, sqn, head, value);
      },
      arrived: () => host.onInput(),
      end: () => {
        assembler!.end(0);
        host.onInputEnd();
      },
      queued: () => assembler!.queued(0),
    }, fail);
  const outPort = output && new OutputPort(output, createCodec(output.codec), () => host.onOutputChange(), fail);
  const host = new JobHost(job, {
    spec,
    run,
    folder: '',
    inputs: input ? [input] : [],
    outputs: output ? [output] : [],
    syncPorts: inPort ? [inPort] : [],
    assembler,
    optionalPorts: [],
    optionals: [],
    outputPorts: outPort ? [outPort] : [],
    argSources: input ? [{ sync: 0, grouped: false }] : [],
    callbacks: { failed: fail, finished },
  });
  if (outPort) {
    outPort.attach(asSocket(new SinkSocket()), new Uint8Array(0), 0);
    outPort.credit = Number.MAX_SAFE_INTEGER;
  }
  if (inPort) handshakeFrame(inPort);
  inPort?.attach(asSocket(new SinkSocket()));
  // Console output of the job (the timed sink's marker) is not part of the measurement.
  const log = console.log;
  console.log = () => {};
  const t0 = process.hrtime.bigint();
  host.start();
  if (inPort && stream) {
    // Reads of 8 KiB, as the small chain's source writes them (512 blocks per event-loop turn).
    const { buffer, callback } = inPort.reader.onread;
    for (let pos = 0; pos < stream.length; ) {
      const target = typeof buffer === 'function' ? buffer() : buffer;
      const n = Math.min(target.byteLength, 8192, stream.length - pos);
      target.set(stream.subarray(pos, pos + n));
      pos += n;
      callback(n, target);
    }
  }
  await done;
  const ns = Number(process.hrtime.bigint() - t0) / blocks;
  console.log = log;
  if (host.rounds !== blocks) throw new Error(`${spec.name} stopped after ${host.rounds} of ${blocks} blocks`);
  return ns;
}

for (const name of chosen) {
  const loaded = await load(name);
  if (name === 'source') loaded.spec = { ...loaded.spec, params: { ...loaded.spec.params, blocks } };
  const stream = loaded.input && inputStream(loaded.input);
  const results: number[] = [];
  for (let i = 0; i < repeats; i++) results.push(await onePass(loaded, stream));
  const min = Math.min(...results);
  process.stdout.write(`${name.padEnd(7)} ${blocks} blocks x ${repeats}: min ${min.toFixed(1)} ns/block, median ${median(results).toFixed(1)} ns/block\n`);
}
