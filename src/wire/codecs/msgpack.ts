import { Packr, type Options } from 'msgpackr';
import type { Codec } from '../types.js';
import { codecError, describeValue } from './codec-error.js';
import { measureMsgpack } from './msgpack-measure.js';

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

  function decode(bytes: Uint8Array): unknown {
    try {
      // as a Buffer view, so bin values decode as Buffers whatever view the caller passes
      return packr.unpack(Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    } catch (e) {
      throw codecError(`msgpack cannot decode a payload of ${bytes.byteLength} bytes: ${(e as Error).message}`, pipe, e,
        'the producer of this pipe must write exactly one msgpack value per block');
    }
  }

  return {
    spec: { kind: 'msgpack' },
    fixedSize: undefined,
    encode,
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
    decodeFromStream: decode,
  };
}
