import { MarveloError } from '../errors.js';
import { assertHeadSize, headBit, headMaskAll } from './head-bits.js';
import { sliceIndices } from './python-slice.js';
import { HeadBit } from './types.js';

export { HEAD_MAX_SIZE, headBit, headMaskAll, resizeHead } from './head-bits.js';

/**
 * The job-facing head: `size` bytes (1..4), bits numbered from the most significant one
 * (0 = corrupted, 1 = reset, 2 = finished, the rest belong to the user). Every operation is masked
 * to the size, unlike the original, whose shifts and invert leaked past it.
 */
export class Head {
  #value: number;
  #size: number;

  /** A Uint8Array is read big-endian; its length is the default size. */
  constructor(value: number | Uint8Array = 0, size?: number) {
    const bytes = typeof value === 'number' ? undefined : value;
    const headSize = size ?? (bytes ? bytes.length : 1);
    assertHeadSize(headSize);
    this.#size = headSize;
    this.#value = bytes ? readBigEndian(bytes, headSize) : checkedValue(value as number, headSize);
  }

  get value(): number {
    return this.#value;
  }

  /** Bytes of the head. Growing appends zero bytes on the LSB side, shrinking drops LSB bytes. */
  get size(): number {
    return this.#size;
  }

  set size(newSize: number) {
    assertHeadSize(newSize);
    const byteShift = 8 * Math.abs(newSize - this.#size);
    this.#value = newSize >= this.#size ? (this.#value << byteShift) >>> 0 : this.#value >>> byteShift;
    this.#size = newSize;
  }

  get corrupted(): boolean {
    return this.get(HeadBit.CORRUPTED);
  }

  get reset(): boolean {
    return this.get(HeadBit.RESET);
  }

  get finished(): boolean {
    return this.get(HeadBit.FINISHED);
  }

  /** Bit `index`: from the MSB when >= 0, from the LSB when < 0 (-1 = the LSB). */
  get(index: number): boolean {
    return (this.#value & this.#mask(index)) !== 0;
  }

  set(index: number, bit: boolean | 0 | 1): void {
    const mask = this.#mask(index);
    if (bit && mask === headBit(this.#size, HeadBit.RESET)) {
      throw new MarveloError('MRV_JOB_API', 'a job may not set the reset bit (head bit 1)', {
        hint: 'resets are started by the runtime; use the user bits 3 and up for your own flags',
      });
    }
    this.#value = (bit ? this.#value | mask : this.#value & ~mask) >>> 0;
  }

  /** Python slice semantics: the selected bits, first one most significant, in a Head of the same size. */
  slice(start?: number, end?: number, step?: number): Head {
    let packed = 0;
    for (const index of sliceIndices(8 * this.#size, start, end, step)) {
      packed = packed * 2 + (this.get(index) ? 1 : 0);
    }
    return new Head(packed, this.#size);
  }

  and(x: number | Head): Head {
    return this.#derive(this.#value & operand(x));
  }

  or(x: number | Head): Head {
    return this.#derive(this.#value | operand(x));
  }

  xor(x: number | Head): Head {
    return this.#derive(this.#value ^ operand(x));
  }

  shl(n: number): Head {
    return this.#derive(checkedShift(n) >= 32 ? 0 : this.#value << n);
  }

  shr(n: number): Head {
    return this.#derive(checkedShift(n) >= 32 ? 0 : this.#value >>> n);
  }

  invert(): Head {
    return this.#derive(~this.#value);
  }

  /** Compares values only, as the original did. */
  equals(x: number | Head): boolean {
    return this.#value === (typeof x === 'number' ? x : x.value);
  }

  toBytes(): Uint8Array {
    const bytes = new Uint8Array(this.#size);
    for (let i = this.#size - 1, v = this.#value; i >= 0; i--, v = Math.floor(v / 256)) bytes[i] = v % 256;
    return bytes;
  }

  valueOf(): number {
    return this.#value;
  }

  toString(): string {
    return `HEAD: ${this.#value.toString(2).padStart(8 * this.#size, '0')}`;
  }

  #mask(index: number): number {
    const bits = 8 * this.#size;
    if (!Number.isInteger(index) || index < -bits || index >= bits) {
      throw new RangeError(`head bit index ${index} is out of range for a ${this.#size}-byte head`);
    }
    return headBit(this.#size, index >= 0 ? index : bits + index);
  }

  /** A new head of this size from a raw 32-bit operation result. */
  #derive(raw: number): Head {
    return new Head((raw & headMaskAll(this.#size)) >>> 0, this.#size);
  }
}

function operand(x: number | Head): number {
  return typeof x === 'number' ? x : x.value;
}

function checkedShift(n: number): number {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`shift count must be a non-negative integer, got ${n}`);
  return n;
}

function checkedValue(value: number, size: number): number {
  if (!Number.isInteger(value) || value < 0 || value > headMaskAll(size)) {
    throw new RangeError(`head value ${value} does not fit ${size} byte(s)`);
  }
  return value;
}

function readBigEndian(bytes: Uint8Array, size: number): number {
  if (bytes.length > size) throw new RangeError(`${bytes.length} head bytes do not fit ${size} byte(s)`);
  let value = 0;
  for (const byte of bytes) value = value * 256 + byte;
  return value;
}
