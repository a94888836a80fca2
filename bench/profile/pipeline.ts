#!/usr/bin/env node
/**
 * The forward's per-block JavaScript, in one process and without sockets:
 *   frames -> StreamReader -> InputPort -> RoundAssembler -> JobHost (jobs/forward.ts, loaded and bundled
 *   from bench/networks/small-chain.yaml) -> OutputPort -> FrameWriter -> a sink that counts bytes.
 * No kernel and no scheduler in the way, so it is a much steadier measure of the runtime's own work per
 * block than the 3-process chain on a shared VM (use it before and after a change to the hot path):
 *   node dist/bench/profile/pipeline.js [--blocks 1000000] [--repeats 12]
 * Prints the minimum and the median ns per block over the repeats (the minimum is the steadier one).
 */
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadNetwork } from '../../src/config/load.js';
import type { JobSpec, PipeSpec } from '../../src/config/types.js';
import type { RunInfo } from '../../src/control/messages.js';
import { HOST, type ScriptJob } from '../../src/jobs/script-job.js';
import { importBundle } from '../../src/launch/import-bundle.js';
import { packageRoot } from '../../src/paths.js';
import { RoundAssembler } from '../../src/sync/round-assembler.js';
import { createCodec } from '../../src/wire/codecs.js';
import { FrameWriter } from '../../src/wire/frame-writer.js';
import { InputPort } from '../../src/worker/input-port.js';
import { JobHost } from '../../src/worker/job-host.js';
import { OutputPort } from '../../src/worker/output-port.js';
import { median } from '../lib/stats.js';

/** What the ports use of a socket; writes are counted, not sent anywhere. */
class CountingSocket extends EventEmitter {
  writableLength = 0;
  destroyed = false;
  bytes = 0;
  write(buf: Uint8Array, done?: () => void): boolean {
    this.bytes += buf.byteLength;
    if (done) queueMicrotask(done);
    return true;
  }
  cork(): void {}
  uncork(): void {}
  end(): void {}
  resume(): void {}
  destroy(): void {}
}
/** The ports take a net.Socket; this stands in for one (the only cast in this tool). */
const asSocket = (s: CountingSocket): Socket => s as unknown as Socket;

const { values } = parseArgs({ options: { blocks: { type: 'string', default: '1000000' }, repeats: { type: 'string', default: '12' } } });
const blocks = Number(values.blocks);
const repeats = Number(values.repeats);

const { network, bundles } = await loadNetwork(join(packageRoot(), 'bench', 'networks', 'small-chain.yaml'));
const spec: JobSpec = network.jobs.find((j) => j.name === 'forward')!;
const input: PipeSpec = network.pipes[spec.inputs[0]!]!;
const output: PipeSpec = network.pipes[spec.outputs[0]!]!;
const ForwardClass = (await importBundle(bundles.get('forward')!))[spec.module!.exportName] as new () => ScriptJob;

/** The stream the forward receives: `blocks` msgpack integers as DATA frames (the first with the reset bit), then END. */
function inputStream(): Buffer {
  const parts: Buffer[] = [];
  const writer = new FrameWriter({ write: (b) => (parts.push(Buffer.from(b)), true) });
  const codec = createCodec(input.codec);
  for (let i = 1; i <= blocks; i++) writer.dataEncoded(i, i === 1 ? 0x40 : 0, input.headSize, codec, i);
  writer.end(blocks);
  writer.flush();
  return Buffer.concat(parts);
}

const run: RunInfo = { id: 'pipeline', secret: new Uint8Array(32), dir: '', transport: 'unix', host: '127.0.0.1', metricsMs: 1000, loggingMs: 1000 };

/** One pass of the whole stream through a fresh pipeline; ns per block. */
function onePass(stream: Buffer): number {
  const job = new ForwardClass();
  job.name = spec.name;
  job.inputNames = [...spec.inputs];
  job.outputNames = [...spec.outputs];
  job[HOST].headSize = spec.headSize;
  const assembler = new RoundAssembler<unknown>([{ blockCount: 1, dummy: input.dummy, zero: null, wireHeadSize: input.headSize }], spec.headSize);
  let ended = false;
  const fail = (err: unknown): never => {
    throw err;
  };
  const inPort = new InputPort(input, createCodec(input.codec), {
    block: (sqn, head, value) => assembler.push(0, sqn, head, value),
    arrived: () => host.onInput(),
    end: () => {
      assembler.end(0);
      ended = true;
      host.onInputEnd();
    },
    queued: () => assembler.queued(0),
  }, fail);
  const outPort = new OutputPort(output, createCodec(output.codec), () => host.onOutputChange(), fail);
  const host = new JobHost(job, {
    spec,
    run,
    inputs: [input],
    outputs: [output],
    syncPorts: [inPort],
    assembler,
    optionalPorts: [],
    optionals: [],
    outputPorts: [outPort],
    argSources: [{ sync: 0, grouped: false }],
    callbacks: { failed: fail, finished: () => {} },
  });
  const sent = new CountingSocket();
  outPort.attach(asSocket(sent), new Uint8Array(0), 0);
  outPort.credit = Number.MAX_SAFE_INTEGER;
  inPort.attach(asSocket(new CountingSocket()));
  host.start();

  // Reads of 8 KiB, as the small chain's source writes them (512 blocks per event-loop turn).
  const { buffer, callback } = inPort.reader.onread;
  const t0 = process.hrtime.bigint();
  for (let pos = 0; pos < stream.length; ) {
    const target = typeof buffer === 'function' ? buffer() : buffer;
    const n = Math.min(target.byteLength, 8192, stream.length - pos);
    target.set(stream.subarray(pos, pos + n));
    pos += n;
    callback(n, target);
  }
  const ns = Number(process.hrtime.bigint() - t0) / blocks;
  if (!ended || host.rounds !== blocks) throw new Error(`the pipeline stopped after ${host.rounds} of ${blocks} blocks`);
  return ns;
}

const stream = inputStream();
const results: number[] = [];
for (let i = 0; i < repeats; i++) results.push(onePass(stream));
const min = Math.min(...results);
process.stdout.write(`forward pipeline, ${blocks} blocks x ${repeats}: min ${min.toFixed(1)} ns/block, median ${median(results).toFixed(1)} ns/block\n`);
