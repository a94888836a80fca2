/** Fixed block sizes (bytes, typed arrays) that no data frame could carry are refused before anything runs. */
import { MarveloError } from '../errors.js';
import { maxPayload, MAX_FRAME } from '../wire/types.js';
import type { PipeEnds } from './graph.js';
import type { YamlSource } from './source.js';
import type { CodecSpec, JobSpec, TypedCodecType } from './types.js';

const ELEMENT_BYTES: Record<TypedCodecType, number> = { float32: 4, float64: 8, int16: 2, int32: 4 };

export function checkBlockSizes(codecs: Map<string, CodecSpec>, ends: Map<string, PipeEnds>, jobs: JobSpec[], src: YamlSource): MarveloError[] {
  const errors: MarveloError[] = [];
  for (const [pipe, codec] of codecs) {
    if (codec.kind !== 'bytes' && codec.kind !== 'typed') continue;
    const producer = jobs[ends.get(pipe)?.producers[0]?.jobIndex ?? -1];
    const limit = maxPayload(producer?.headSize ?? 4);
    const size = codec.kind === 'bytes' ? codec.blockSize : codec.length * ELEMENT_BYTES[codec.type];
    if (size <= limit) continue;
    const key = codec.kind === 'bytes' ? 'block_size' : 'length';
    const what = codec.kind === 'bytes' ? `block_size ${codec.blockSize}` : `length ${codec.length} (${size} bytes of ${codec.type})`;
    errors.push(new MarveloError('MRV_CONFIG_SCHEMA', `pipe '${pipe}': ${what} is over the limit of ${limit} bytes per block (a data frame carries at most ${MAX_FRAME / 1024 / 1024} MiB)`, {
      where: src.valueAt(['pipes', pipe, key]),
      pipe,
      hint: codec.kind === 'bytes' ? `use a block_size of at most ${limit}, and send larger data in several blocks` : `use a length of at most ${Math.floor(limit / ELEMENT_BYTES[codec.type])}, and send larger arrays in several blocks`,
    }));
  }
  return errors;
}
