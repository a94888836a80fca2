import type { Codec } from '../types.js';
import { checkPositiveInt, codecError, describeValue, measureFixed } from './codec-error.js';

/**
 * Exactly `blockSize` raw bytes. Zero-copy both ways: encode returns a view of the value's bytes,
 * decode a Buffer view of the payload (see Codec.decode).
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
    return Buffer.isBuffer(buf) ? buf.subarray(start, end) : Buffer.from(buf.buffer, buf.byteOffset + start, blockSize);
  }

  return {
    spec: { kind: 'bytes', blockSize },
    fixedSize: blockSize,
    zeroCopy: true,
    payloadAlign: 1,
    encode,
    decode,
    zero: () => Buffer.alloc(blockSize),
    measure: (_buf, start, end) => measureFixed(blockSize, start, end),
    encodeForStream: encode,
    // an executable's stream is cut in a reused buffer: the value gets its own copy
    decodeFromStream: (bytes) => decode(Buffer.from(bytes), 0, bytes.byteLength),
  };
}
