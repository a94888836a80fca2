/**
 * A ceiling stage process. Control on stdin/stdout, one line each, like a worker's control channel
 * but as plain text:
 *   -> `ready`      every input listener is bound
 *   <- `connect`    dial the output;  -> `connected`
 *   <- `start`      sources start sending
 *   -> `@bench {..}` measurements (the sink's result; RSS samples when --rss-ms is given)
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
import { runSource } from './source-stage.js';
import { dialOutput, listenOnce, StageInput, type StageOutput } from './stage-io.js';
import type { StageOptions } from './stage-options.js';

/** What differs between stage kinds, behind the common control protocol. */
interface StageRole {
  /** Dial the output, if the stage has one. */
  connect(): Promise<void>;
  /** Sources: send everything, then resolve. */
  start(): Promise<void>;
  /** Consumers: take the accepted input sockets (in input order); resolve when the stream is done. */
  consume(inputs: Promise<net.Socket>[]): Promise<void>;
}

const say = (line: string) => process.stdout.write(line + '\n');
const exit = () => process.stdout.write('', () => process.exit(0));

export async function runStage(o: StageOptions): Promise<void> {
  const role = o.kind.startsWith('pump-') ? pumpRole(o) : framedRole(o);
  if (o.rssMs > 0) {
    // the whole breakdown (heap, external, arrayBuffers), so a ceiling's memory can be explained; [rss] reads `rss`
    setInterval(() => say(formatMarker({ ...process.memoryUsage(), tNs: nowNs() })), o.rssMs).unref();
  }
  let connected!: () => void;
  const whenConnected = new Promise<void>((r) => (connected = r));
  createInterface({ input: process.stdin })
    .on('line', (line) => {
      if (line === 'connect') {
        void role.connect().then(() => {
          connected();
          say('connected');
        });
      } else if (line === 'start' && o.inputs.length === 0) {
        void role.start().then(exit);
      } else if (line === 'stop') {
        process.exit(0);
      }
    })
    .on('close', () => process.exit(0));

  const listeners = await Promise.all(o.inputs.map((path) => listenOnce(path)));
  say('ready');
  if (o.inputs.length === 0) return;
  await whenConnected;
  await role.consume(listeners.map((l) => l.accepted));
  exit();
}

/** source, forward, join, reduce, sink: frames and codecs, the runtime's own wire code. */
function framedRole(o: StageOptions): StageRole {
  const codec = payloadCodec(o.payload);
  let output: StageOutput | undefined;
  return {
    async connect() {
      if (o.output !== undefined) output = await dialOutput(o.output, codec);
    },
    start: () => runSource(o, output!),
    consume(accepted) {
      const inputs: StageInput[] = [];
      if (o.kind === 'sink') {
        const sink = createSink(o);
        let open = accepted.length;
        return new Promise<void>((resolve) => {
          const handlers = {
            value: (v: unknown) => sink.onValue(v),
            end: () => {
              if (--open > 0) return;
              say(formatMarker(sink.result()));
              resolve();
            },
          };
          for (const a of accepted) attach(new StageInput(codec, handlers), a, inputs);
        });
      }
      const relay = createRelay(o, output!, () => inputs);
      accepted.forEach((a, i) => {
        attach(new StageInput(codec, { value: (v) => relay.onValue(i, v), end: () => relay.onEnd(i) }), a, inputs);
      });
      return relay.finished;
    },
  };
}

function attach(input: StageInput, accepted: Promise<net.Socket>, all: StageInput[]): void {
  all.push(input);
  void accepted.then((socket) => input.attach(socket));
}

/** pump-source, pump-forward, pump-sink: raw bytes, no per-block work (pump-stages.ts). */
function pumpRole(o: StageOptions): StageRole {
  let output: net.Socket | undefined;
  return {
    async connect() {
      if (o.output === undefined) return;
      output = net.connect({ path: o.output });
      await once(output, 'connect');
    },
    start: () => runPumpSource(o, output!),
    async consume([accepted]) {
      const input = await accepted!;
      await new Promise<void>((resolve) => {
        if (o.kind === 'pump-sink') {
          pumpSink(o, input, (result) => {
            say(formatMarker(result));
            resolve();
          });
        } else {
          pumpForward(input, output!, resolve);
        }
      });
    },
  };
}
