import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { FRAME_HEADER, FrameKind } from './types.js';

/** Bytes of the CHALLENGE nonce and of the HMAC in HELLO. */
export const NONCE_BYTES = 32;
export const HMAC_BYTES = 32;
/** Handshake frames are small; anything longer is garbage. */
export const MAX_HANDSHAKE_FRAME = 1 + HMAC_BYTES + 4096;

/** One whole frame in a fresh buffer (for the rare, non-batched frames of a handshake). */
export function encodeFrame(kind: number, body: Uint8Array): Buffer {
  const frame = Buffer.allocUnsafe(FRAME_HEADER + body.byteLength);
  frame.writeUInt32BE(body.byteLength + 1, 0);
  frame[4] = kind;
  frame.set(body, FRAME_HEADER);
  return frame;
}

export function newNonce(): Buffer {
  return randomBytes(NONCE_BYTES);
}

/** HMAC-SHA256(secret, nonce | pipe name as utf-8). */
function helloMac(secret: Buffer, nonce: Uint8Array, pipeBytes: Uint8Array): Buffer {
  return createHmac('sha256', secret).update(nonce).update(pipeBytes).digest();
}

/** The HELLO frame answering `nonce`: HMAC | utf-8 pipe name. */
export function helloFrame(secret: Buffer, nonce: Uint8Array, pipe: string): Buffer {
  const pipeBytes = Buffer.from(pipe, 'utf8');
  return encodeFrame(FrameKind.HELLO, Buffer.concat([helloMac(secret, nonce, pipeBytes), pipeBytes]));
}

/** The pipe a HELLO body names when its HMAC is right, else undefined. Constant-time comparison. */
export function verifyHello(secret: Buffer, nonce: Uint8Array, body: Uint8Array): string | undefined {
  if (body.byteLength < HMAC_BYTES) return undefined;
  const pipeBytes = body.subarray(HMAC_BYTES);
  const expected = helloMac(secret, nonce, pipeBytes);
  if (!timingSafeEqual(expected, body.subarray(0, HMAC_BYTES))) return undefined;
  return Buffer.from(pipeBytes).toString('utf8');
}
