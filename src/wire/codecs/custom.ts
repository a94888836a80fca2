import type { CodecSpec } from '../../config/types.js';
import type { Codec, CustomCodecModule } from '../types.js';
import { checkPositiveInt, codecError, describeValue, measureFixed } from './codec-error.js';

/**
 * A user's codec module. Its pack/unpack errors become MRV_WIRE_CODEC (with the original as cause).
 * unpack receives a private copy of the payload, so a module may keep views of it.
 */
export function createCustomCodec(
  spec: Extract<CodecSpec, { kind: 'custom' }>,
  mod: CustomCodecModule | undefined,
  pipe: string | undefined,
): Codec {
  const where = `custom codec ${spec.module}#${spec.exportName}`;
  if (mod === undefined || typeof mod.pack !== 'function' || typeof mod.unpack !== 'function') {
    throw codecError(`${where} is not loaded or lacks pack()/unpack()`, pipe, undefined,
      'the module must export an object with pack(value) => Uint8Array and unpack(bytes) => value');
  }
  const { blockSize } = mod;
  if (blockSize !== undefined) checkPositiveInt(blockSize, `${where} blockSize`, pipe);

  function encode(value: unknown): Uint8Array {
    let out: unknown;
    try {
      out = mod!.pack(value);
    } catch (e) {
      throw codecError(`${where} pack() failed on ${describeValue(value)}: ${(e as Error).message}`, pipe, e);
    }
    if (!(out instanceof Uint8Array)) throw codecError(`${where} pack() returned ${describeValue(out)}, not a Uint8Array`, pipe);
    if (blockSize !== undefined && out.byteLength !== blockSize) {
      throw codecError(`${where} pack() returned ${out.byteLength} bytes, its blockSize is ${blockSize}`, pipe);
    }
    return out;
  }

  function decode(buf: Uint8Array, start: number, end: number): unknown {
    const n = end - start;
    if (blockSize !== undefined && n !== blockSize) {
      throw codecError(`${where} expects a payload of ${blockSize} bytes, received ${n}`, pipe);
    }
    try {
      // a private copy: the module cannot know whether it may keep views
      return mod!.unpack(Buffer.from(buf.subarray(start, end)));
    } catch (e) {
      throw codecError(`${where} unpack() failed on ${n} bytes: ${(e as Error).message}`, pipe, e);
    }
  }

  function measure(buf: Uint8Array, start: number, end: number): number {
    if (mod!.measure) return mod!.measure(buf, start, end);
    if (blockSize !== undefined) return measureFixed(blockSize, start, end);
    throw codecError(`${where} cannot frame an executable's stream: it has neither measure() nor blockSize`, pipe,
      undefined, 'add measure(buf, start, end) or blockSize to the codec module');
  }

  function zero(): unknown {
    if (mod!.dummy) return mod!.dummy();
    if (blockSize !== undefined) return decode(new Uint8Array(blockSize), 0, blockSize);
    return null;
  }

  return {
    spec,
    fixedSize: blockSize,
    zeroCopy: false,
    payloadAlign: 1,
    encode,
    decode,
    zero,
    measure,
    encodeForStream: encode,
    decodeFromStream: (bytes) => decode(bytes, 0, bytes.byteLength),
  };
}
