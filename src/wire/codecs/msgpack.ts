import { Packr } from 'msgpackr/pack';
import type { Options } from 'msgpackr';
import type { Codec } from '../types.js';
import { checkCarried } from './carried.js';
import { codecError, describeValue } from './codec-error.js';
import { measureMsgpack } from './msgpack-measure.js';
import { decodeMsgpackScalar, encodeMsgpackScalar } from './msgpack-scalar.js';

/**
 * Plain msgpack (no msgpackr records), so any msgpack reader (msgpack-lite, Python msgpack) reads it.
 *
 * - encode returns a view into msgpackr's internal buffer; the next encode may overwrite it
 *   (the Codec contract: the caller copies it into a frame batch first).
 * - A value msgpack would change (a Map, a function, a Float32Array...) is refused before encoding
 *   (carried.ts). undefined travels as nil (decodes to null); bin decodes to a Buffer copy
 *   (copyBuffers), never a view of the receive buffer; a Date is the timestamp extension.
 * - A bigint is an int64 (uint64 above 2^63) and every int64/uint64 decodes to a bigint
 *   (int64AsType 'bigint'), so bigints round-trip; JS numbers never use those types (integers beyond
 *   32 bits are float64, as msgpack-lite writes them too).
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
  options.int64AsType = 'bigint';
  const packr = new Packr(options);

  function encode(value: unknown): Uint8Array {
    checkCarried('msgpack', value, pipe);
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
