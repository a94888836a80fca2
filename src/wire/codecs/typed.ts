import type { TypedCodecType } from '../../config/types.js';
import type { Codec } from '../types.js';
import { checkPositiveInt, codecError, describeValue, measureFixed } from './codec-error.js';

type TypedArrayOf = Float32Array | Float64Array | Int16Array | Int32Array;
interface TypedCtor {
  new (length: number): TypedArrayOf;
  new (buffer: ArrayBuffer, byteOffset?: number, length?: number): TypedArrayOf;
  readonly BYTES_PER_ELEMENT: number;
  readonly name: string;
}

const CTORS: Record<TypedCodecType, TypedCtor> = {
  float32: Float32Array,
  float64: Float64Array,
  int16: Int16Array,
  int32: Int32Array,
};

/** Little-endian DataView accessors per element type (used only on a big-endian host). */
const SETTERS: Record<TypedCodecType, (v: DataView, at: number, x: number) => void> = {
  float32: (v, at, x) => v.setFloat32(at, x, true),
  float64: (v, at, x) => v.setFloat64(at, x, true),
  int16: (v, at, x) => v.setInt16(at, x, true),
  int32: (v, at, x) => v.setInt32(at, x, true),
};
const GETTERS: Record<TypedCodecType, (v: DataView, at: number) => number> = {
  float32: (v, at) => v.getFloat32(at, true),
  float64: (v, at) => v.getFloat64(at, true),
  int16: (v, at) => v.getInt16(at, true),
  int32: (v, at) => v.getInt32(at, true),
};

/** Checked once: the wire order of typed payloads is little-endian. */
export const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * `length` elements of `type`, raw little-endian. Zero-copy both ways on a little-endian host: encode
 * returns a view of the array's bytes, decode an array viewing the payload when it is aligned (see
 * Codec.decode), else an aligned copy. A plain number array of
 * the right length is converted: float32 rounds each number to the nearest float32, and int16/int32
 * refuse a number they cannot hold exactly (a fraction, NaN, or out of range) instead of wrapping it.
 * `littleEndianHost` exists for tests of the byte-swapping path.
 */
export function createTypedCodec(
  type: TypedCodecType,
  length: number,
  pipe: string | undefined,
  littleEndianHost = HOST_LITTLE_ENDIAN,
): Codec {
  const Ctor = CTORS[type];
  if (Ctor === undefined) throw codecError(`unknown typed codec type '${String(type)}'`, pipe);
  checkPositiveInt(length, `${type} codec length`, pipe);
  const size = length * Ctor.BYTES_PER_ELEMENT;
  const step = Ctor.BYTES_PER_ELEMENT;
  const set = SETTERS[type];
  const get = GETTERS[type];
  const integer = type === 'int16' || type === 'int32';
  // big-endian host only: the encoded bytes (valid until the next encode, as the Codec contract allows)
  const swapScratch = littleEndianHost ? undefined : new DataView(new ArrayBuffer(size));

  function wrongValue(value: unknown): never {
    throw codecError(`${type} codec expects a ${Ctor.name} of ${length} elements (or a number array), got ${describeValue(value)}`,
      pipe, undefined, `every block of this pipe must hold exactly ${length} ${type} values`);
  }

  function toTyped(value: unknown): TypedArrayOf {
    if (value instanceof Ctor) {
      if (value.length !== length) wrongValue(value);
      return value;
    }
    if (!Array.isArray(value) || value.length !== length) wrongValue(value);
    const out = new Ctor(length);
    for (let i = 0; i < length; i++) {
      const x: unknown = value[i];
      if (typeof x !== 'number') {
        throw codecError(`${type} codec: element ${i} of the array is ${describeValue(x)}, not a number`, pipe);
      }
      out[i] = x;
      if (integer && out[i] !== x) {
        throw codecError(`${type} codec: element ${i} of the array (${x}) is not an ${type}`, pipe, undefined,
          `send integers from ${type === 'int16' ? '-32768 to 32767' : '-2147483648 to 2147483647'} (Math.round(x), clamped), or use a float32/float64 pipe`);
      }
    }
    return out;
  }

  function encode(value: unknown): Uint8Array {
    const arr = toTyped(value);
    if (swapScratch === undefined) return new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength);
    for (let i = 0; i < length; i++) set(swapScratch, i * step, arr[i]!);
    return new Uint8Array(swapScratch.buffer);
  }

  function decode(buf: Uint8Array, start: number, end: number): TypedArrayOf {
    if (end - start !== size) {
      throw codecError(`${type} codec expects a payload of ${size} bytes (${length} elements), received ${end - start}`, pipe);
    }
    const from = buf.byteOffset + start;
    if (littleEndianHost) {
      if (from % step === 0) return new Ctor(buf.buffer as ArrayBuffer, from, length);
      // ArrayBuffer#slice copies without zero-filling first, and the copy is aligned.
      return new Ctor(buf.buffer.slice(from, from + size) as ArrayBuffer) as TypedArrayOf;
    }
    const out = new Ctor(length);
    const view = new DataView(buf.buffer, from, size);
    for (let i = 0; i < length; i++) out[i] = get(view, i * step);
    return out;
  }

  return {
    spec: { kind: 'typed', type, length },
    fixedSize: size,
    zeroCopy: littleEndianHost,
    payloadAlign: step,
    encode,
    decode,
    zero: () => new Ctor(length),
    measure: (_buf, start, end) => measureFixed(size, start, end),
    encodeForStream: encode,
    // an executable's stream is cut in a reused buffer: the value gets its own (aligned) copy
    decodeFromStream: (bytes) => decode(Uint8Array.prototype.slice.call(bytes), 0, bytes.byteLength),
  };
}
