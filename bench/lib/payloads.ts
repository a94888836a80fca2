/**
 * The values the bench sends, made the same way by the bench jobs (through the runtime) and by the
 * ceiling processes (without it), so that both move exactly the same bytes.
 */

/** Bytes of one block of the bytes-64k scenario. */
export const BYTES_BLOCK_SIZE = 64 * 1024;
/** Elements of one frame of the float32-frames scenario. */
export const FLOAT32_FRAME_LENGTH = 1024;

/** One 64 KiB block with a non-trivial pattern; sources send the same block again and again. */
export function makeBytesBlock(): Buffer {
  const b = Buffer.allocUnsafe(BYTES_BLOCK_SIZE);
  for (let i = 0; i < b.length; i++) b[i] = (i * 31 + 7) & 0xff;
  return b;
}

/** One Float32Array(1024) frame (a sine); sources send the same frame again and again. */
export function makeFloat32Frame(): Float32Array {
  const f = new Float32Array(FLOAT32_FRAME_LENGTH);
  for (let i = 0; i < f.length; i++) f[i] = Math.sin(i / 16);
  return f;
}

/** Payload bytes of one block, for MB/s figures (MB = 10^6 bytes). */
export function payloadBytes(kind: 'bytes' | 'float32'): number {
  return kind === 'bytes' ? BYTES_BLOCK_SIZE : FLOAT32_FRAME_LENGTH * 4;
}
