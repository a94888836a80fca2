import type { CodecSpec } from '../config/types.js';
import { createBytesCodec } from './codecs/bytes.js';
import { codecError } from './codecs/codec-error.js';
import { createCustomCodec } from './codecs/custom.js';
import { createJsonCodec } from './codecs/json.js';
import { createMsgpackCodec } from './codecs/msgpack.js';
import { createTypedCodec } from './codecs/typed.js';
import type { Codec, CustomCodecModule } from './types.js';

export interface CreateCodecOptions {
  /** Named in MRV_WIRE_CODEC errors. */
  pipe?: string;
}

/**
 * A pipe's codec, built once at start-up. `custom` is the loaded module of a `custom` spec.
 * Throws MarveloError MRV_WIRE_CODEC when the spec cannot make a codec.
 */
export function createCodec(spec: CodecSpec, custom?: CustomCodecModule, opts: CreateCodecOptions = {}): Codec {
  const { pipe } = opts;
  switch (spec.kind) {
    case 'msgpack':
      return createMsgpackCodec(pipe);
    case 'json':
      return createJsonCodec(pipe);
    case 'bytes':
      return createBytesCodec(spec.blockSize, pipe);
    case 'typed':
      return createTypedCodec(spec.type, spec.length, pipe);
    case 'custom':
      return createCustomCodec(spec, custom, pipe);
    default:
      throw codecError(`unknown codec kind '${String((spec as { kind: unknown }).kind)}'`, pipe);
  }
}

/**
 * A value of `codec` that aliases no read buffer: a copy of what a zero-copy codec decoded (a Buffer or
 * typed array viewing the reader's memory), the value itself for every other codec.
 */
export function ownedValue<T>(codec: Codec<T>, value: T): T {
  if (!codec.zeroCopy) return value;
  if (Buffer.isBuffer(value)) return Buffer.from(value) as T;
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return (value as unknown as { slice(): T }).slice();
  return value;
}
