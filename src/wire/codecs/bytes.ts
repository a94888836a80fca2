import type { Codec } from '../types.js';
import { checkPositiveInt, codecError, describeValue, measureFixed } from './codec-error.js';

/**
 * Exactly `blockSize` raw bytes. encode is zero-copy (a view of the value's bytes); decode returns a
 * Buffer copy that never aliases the receive buffer.
 */
export function createBytesCodec(blockSize: number, pipe: string | undefined): Codec {
  checkPositiveInt(blockSize, 'bytes codec block_size', pipe);

  function asBytes(value: unknown): Uint8Array {
    if (value instanceof Uint8Array) return value;
    if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    if (value instanceof ArrayBuffer) return new Uint8Array(value);
    throw codecError(`bytes codec expects a Uint8Array or Buffer of ${blockSize} bytes, got ${describeValue(value)}`, pipe);
  }

  function encode(value: unknown): Uint8Array {
    const bytes = asBytes(value);
    if (bytes.byteLength !== blockSize) {
      throw codecError(`bytes codec expects exactly ${blockSize} bytes, got ${bytes.byteLength}`, pipe, undefined,
        'every block of this pipe must have the block_size of its codec');
    }
    return bytes;
  }

  function decode(buf: Uint8Array, start: number, end: number): Buffer {
    if (end - start !== blockSize) {
      throw codecError(`bytes codec expects a payload of ${blockSize} bytes, received ${end - start}`, pipe);
    }
    const out = Buffer.allocUnsafe(blockSize); // a copy, never a view of the receive buffer
    out.set(buf.subarray(start, end));
    return out;
  }

  return {
    spec: { kind: 'bytes', blockSize },
    fixedSize: blockSize,
    encode,
    decode,
    zero: () => Buffer.alloc(blockSize),
    measure: (_buf, start, end) => measureFixed(blockSize, start, end),
    encodeForStream: encode,
    decodeFromStream: (bytes) => decode(bytes, 0, bytes.byteLength),
  };
}
