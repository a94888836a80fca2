import { Packr } from 'msgpackr/pack';
import type { Options } from 'msgpackr';
import type { Codec } from '../types.js';
import { codecError, describeValue } from './codec-error.js';
import { measureMsgpack } from './msgpack-measure.js';
import { decodeMsgpackScalar, encodeMsgpackScalar } from './msgpack-scalar.js';

/**
 * Plain msgpack (no msgpackr records), so any msgpack reader (msgpack-lite, Python msgpack) reads it.
 *
 * - encode returns a view into msgpackr's internal buffer; the next encode may overwrite it
 *   (the Codec contract: the caller copies it into a frame batch first).
 * - undefined travels as nil (decodes to null); Map decodes to a plain object; bin decodes to a
 *   Buffer copy (copyBuffers), never a view of the receive buffer.
 * - 64-bit integers from other writers decode to a number when safe, else to a bigint (int64AsType 'auto').
 * - variableMapSize: objects use fixmap/map16/map32 like other writers (and may exceed 65535 keys).
 */
export function createMsgpackCodec(pipe: string | undefined): Codec {
  const options: Options = {
    useRecords: false,
    mapsAsObjects: true,
    variableMapSize: true,
    encodeUndefinedAsNil: true,
    copyBuffers: true,
  };
  // 'auto' is implemented by msgpackr's unpack but missing from its typings
  Object.assign(options, { int64AsType: 'auto' });
  const packr = new Packr(options);

  function encode(value: unknown): Uint8Array {
    try {
      return packr.pack(value);
    } catch (e) {
      throw codecError(`msgpack cannot encode ${describeValue(value)}: ${(e as Error).message}`, pipe, e);
    }
  }

  // Reused: msgpackr reads start/end from it and caches one DataView per source buffer, so decoding
  // many payloads of one received chunk costs no allocation besides the values.
  const range = { start: 0, end: 0 };

  function decode(buf: Uint8Array, start: number, end: number): unknown {
    const scalar = decodeMsgpackScalar(buf, start, end);
    if (scalar !== undefined) return scalar;
    range.start = start;
    range.end = end;
    try {
      // a Buffer, so bin values decode as Buffers whatever view the caller passes
      return packr.unpack(Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength), range);
    } catch (e) {
      throw codecError(`msgpack cannot decode a payload of ${end - start} bytes: ${(e as Error).message}`, pipe, e,
        'the producer of this pipe must write exactly one msgpack value per block');
    }
  }

  return {
    spec: { kind: 'msgpack' },
    fixedSize: undefined,
    zeroCopy: false,
    payloadAlign: 1,
    encode,
    encodeInto: encodeMsgpackScalar,
    decode,
    zero: () => null,
    measure(buf, start, end) {
      try {
        return measureMsgpack(buf, start, end);
      } catch (e) {
        throw codecError(`the msgpack stream is corrupt: ${(e as Error).message}`, pipe, e);
      }
    },
    encodeForStream: encode,
    decodeFromStream: (bytes) => decode(bytes, 0, bytes.byteLength),
  };
}
