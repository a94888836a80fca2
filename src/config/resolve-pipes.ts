/** Pipes with their defaults. Runs only on a valid graph: every pipe has one producer and one consumer. */
import { defaultDummy } from './codec.js';
import type { PipeEnds } from './graph.js';
import type { RawNetwork, RawPipe } from './raw.js';
import type { YamlSource } from './source.js';
import { DEFAULTS, type CodecSpec, type JobSpec, type OptionalSpec, type PipeSpec } from './types.js';

export function resolvePipes(
  raw: RawNetwork,
  jobs: JobSpec[],
  ends: Map<string, PipeEnds>,
  codecs: Map<string, CodecSpec>,
  src: YamlSource,
): Record<string, PipeSpec> {
  const pipes: Record<string, PipeSpec> = {};
  for (const [name, { producers, consumers }] of ends) {
    const declared: RawPipe | undefined = raw.pipes?.[name];
    const producer = jobs[producers[0]!.jobIndex]!;
    const consumer = jobs[consumers[0]!.jobIndex]!;
    const codec = codecs.get(name)!;
    pipes[name] = {
      name,
      codec,
      blockCount: declared?.block_count ?? DEFAULTS.blockCount,
      optional: optionalOf(declared),
      maxQueue: declared?.max_queue ?? consumer.maxQueue,
      drop: declared?.drop ?? DEFAULTS.drop,
      dummy: declared?.dummy ?? defaultDummy(codec),
      flushMs: declared?.flush_ms ?? DEFAULTS.flushMs,
      transport: declared?.transport,
      headSize: producer.headSize,
      restartable: producer.onFailure === 'restart' || consumer.onFailure === 'restart',
      producer: producer.name,
      consumer: consumer.name,
      where: declared !== undefined ? src.keyAt(['pipes', name]) : producers[0]!.where,
    };
  }
  return pipes;
}

/** `optional:` implies async; `async: true` alone gets the default optional behaviour. */
function optionalOf(pipe: RawPipe | undefined): OptionalSpec | undefined {
  if (pipe?.optional === undefined && pipe?.async !== true) return undefined;
  const o = pipe.optional ?? {};
  return {
    default: o.default !== undefined ? o.default : DEFAULTS.optional.default,
    store: o.store ?? DEFAULTS.optional.store,
    buffer: o.buffer ?? DEFAULTS.optional.buffer,
    drop: o.drop ?? DEFAULTS.optional.drop,
  };
}
