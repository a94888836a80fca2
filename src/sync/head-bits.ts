/**
 * Heads as plain unsigned numbers: the hot path never wraps them in a Head object.
 * Bits are numbered from the most significant bit of the head's size (index 0 = MSB).
 */

/** Heads are 1 to 4 bytes: they must fit a JS bit operation (32 bits). */
export const HEAD_MAX_SIZE = 4;

export function assertHeadSize(size: number): void {
  if (!Number.isInteger(size) || size < 1 || size > HEAD_MAX_SIZE) {
    throw new RangeError(`head size must be an integer of 1 to ${HEAD_MAX_SIZE} bytes, got ${size}`);
  }
}

/** Every bit of a head of `size` bytes set. */
export function headMaskAll(size: number): number {
  return size >= HEAD_MAX_SIZE ? 0xffffffff : 2 ** (8 * size) - 1;
}

/** The unsigned mask of bit `index` (from the MSB) in a head of `size` bytes. */
export function headBit(size: number, index: number): number {
  return (1 << (8 * size - 1 - index)) >>> 0;
}

/**
 * Converts a head between sizes keeping the MSB-numbered bits in place: growing appends zero bytes
 * on the LSB side, shrinking drops LSB bytes (the original's head_size semantics).
 */
export function resizeHead(value: number, fromSize: number, toSize: number): number {
  if (toSize === fromSize) return value;
  if (toSize > fromSize) return (value << (8 * (toSize - fromSize))) >>> 0;
  return value >>> (8 * (fromSize - toSize));
}
