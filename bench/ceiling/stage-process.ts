/**
 * A ceiling stage process. Control on stdin/stdout, one line each, like a worker's control channel
 * but as plain text:
 *   -> `ready`      the output's listener is bound
 *   <- `connect`    dial the inputs, take the output's consumer;  -> `connected`
 *   <- `start`      sources start sending
 *   -> `@bench {..}` measurements (the sink's result; RSS samples when --rss-ms is given; last, the
 *                   stage's CPU time since `start` as `{ cpuMs }`, like a worker's `cpuMs`)
 *   <- `stop` or stdin closed: exit at once (so no stage outlives its parent)
 * The stage exits by itself after its stream ended (END frame or end of the byte stream).
 */
import { once } from 'node:events';
import net from 'node:net';
import { createInterface } from 'node:readline';
import { nowNs } from '../lib/clock.js';
import { formatMarker } from '../lib/markers.js';
import { payloadCodec } from './payload-codec.js';
import { pumpForward, pumpSink, runPumpSource } from './pump-stages.js';
import { createRelay } from './relay-stage.js';
import { createSink } from './sink-stage.js';
import { parseStageAddress, socketTarget, tuneSocket } from './stage-address.js';
import { runSource } from './source-stage.js';
import { listenOnce, StageInput, StageOutput } from './stage-io.js';
import type { StageOptions } from './stage-options.js';

/** What differs between stage kinds, behind the common control protocol. */
interface StageRole {
  /** Dial the inputs, take the accepted output socket (if any). */
  connect(output: Promise<net.Socket> | undefined): Promise<void>;
  /** Sources: send everything, then resolve. */
  start(): Promise<void>;
  /** Consumers: resolve when every input stream is done. */
  consume(): Promise<void>;
}

const say = (line: string) => process.stdout.write(line + '\n');
/** process.cpuUsage() at `start`: a stage's CPU time leaves out loading and connecting, as a worker's does. */
let cpuAtStart: NodeJS.CpuUsage | undefined;
const exit = () => {
  const cpu = cpuAtStart === undefined ? undefined : process.cpuUsage(cpuAtStart);
  if (cpu !== undefined) say(formatMarker({ cpuMs: (cpu.user + cpu.system) / 1000 }));
  process.stdout.write('', () => process.exit(0));
};

export async function runStage(o: StageOptions): Promise<void> {
  const role = o.kind.startsWith('pump-') ? pumpRole(o) : framedRole(o);
  if (o.rssMs > 0) {
    // the whole breakdown (heap, external, arrayBuffers), so a ceiling's memory can be explained; [rss] reads `rss`
    setInterval(() => say(formatMarker({ ...process.memoryUsage(), tNs: nowNs() })), o.rssMs).unref();
  }
  let connected!: () => void;
  const whenConnected = new Promise<void>((r) => (connected = r));
  // The runtime's direction: a producer listens, its consumer dials.
  const listener = o.output === undefined ? undefined : await listenOnce(o.output);
  createInterface({ input: process.stdin })
    .on('line', (line) => {
      if (line === 'connect') {
        void role.connect(listener?.accepted).then(() => {
          connected();
          say('connected');
        });
      } else if (line === 'start') {
        cpuAtStart = process.cpuUsage();
        if (o.inputs.length === 0) void role.start().then(exit);
      } else if (line === 'stop') {
        process.exit(0);
      }
    })
    .on('close', () => process.exit(0));
  say('ready');
  if (o.inputs.length === 0) return;
  await whenConnected;
  await role.consume();
  exit();
}

/** source, forward, join, reduce, sink: frames and codecs, the runtime's own wire code. */
function framedRole(o: StageOptions): StageRole {
  const codec = payloadCodec(o.payload);
  let output: StageOutput | undefined;
  const inputs: StageInput[] = [];
  let finished: Promise<void> = Promise.resolve();
  return {
    async connect(accepted) {
      if (o.kind === 'sink') {
        const sink = createSink(o);
        let open = o.inputs.length;
        finished = new Promise<void>((resolve) => {
          const handlers = {
            value: (v: unknown) => sink.onValue(v),
            end: () => {
              if (--open > 0) return;
              say(formatMarker(sink.result()));
              resolve();
            },
          };
          // like the bench's timed-sink, which borrows its input
          for (const path of o.inputs) inputs.push(new StageInput(path, codec, handlers, true));
        });
      } else if (o.inputs.length > 0) {
        output = new StageOutput(await accepted!, codec);
        const relay = createRelay(o, output, () => inputs);
        o.inputs.forEach((path, i) => {
          inputs.push(new StageInput(path, codec, { value: (v) => relay.onValue(i, v), end: () => relay.onEnd(i) }));
        });
        finished = relay.finished;
      }
      if (accepted !== undefined && output === undefined) output = new StageOutput(await accepted, codec);
      await Promise.all(inputs.map((i) => i.connected()));
    },
    start: () => runSource(o, output!),
    consume: () => finished,
  };
}

/** pump-source, pump-forward, pump-sink: raw bytes, no per-block work (pump-stages.ts). */
function pumpRole(o: StageOptions): StageRole {
  let output: net.Socket | undefined;
  let finished: Promise<void> = Promise.resolve();
  return {
    async connect(accepted) {
      if (accepted !== undefined) output = await accepted;
      const path = o.inputs[0];
      if (path === undefined) return;
      if (o.kind === 'pump-sink') {
        let input!: net.Socket;
        finished = new Promise<void>((resolve) => {
          input = pumpSink(o, path, (result) => {
            say(formatMarker(result));
            resolve();
          });
        });
        await once(input, 'connect');
      } else {
        const target = parseStageAddress(path);
        const input = net.connect(socketTarget(target));
        tuneSocket(target, input);
        await once(input, 'connect');
        finished = new Promise<void>((resolve) => pumpForward(input, output!, resolve));
      }
    },
    start: () => runPumpSource(o, output!),
    consume: () => finished,
  };
}
