/** Test helpers: build frames independently of FrameWriter, collect decoded frames as copies. */
import { FrameDecoder } from '../../src/wire/frame-decoder.js';

export interface Frame {
  kind: number;
  body: Buffer;
}

export function frameBytes(kind: number, body: Uint8Array = new Uint8Array(0)): Buffer {
  const out = Buffer.alloc(5 + body.length);
  out.writeUInt32BE(body.length + 1, 0);
  out[4] = kind;
  out.set(body, 5);
  return out;
}

export function dataBody(sqn: number, head: number, headSize: number, payload: Uint8Array): Buffer {
  const out = Buffer.alloc(8 + headSize + payload.length);
  out.writeBigUInt64BE(BigInt(sqn), 0);
  out.writeUIntBE(head, 8, headSize);
  out.set(payload, 8 + headSize);
  return out;
}

/** A decoder that copies every body (as a consumer that keeps data must). */
export function collector(maxFrame?: number): { decoder: FrameDecoder; frames: Frame[] } {
  const frames: Frame[] = [];
  const decoder = new FrameDecoder((kind, buf, s, e) => frames.push({ kind, body: Buffer.from(buf.subarray(s, e)) }), maxFrame);
  return { decoder, frames };
}

/** Payload whose bytes depend on (seed, index), so any corruption or misplacement shows. */
export function patterned(seed: number, length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) out[i] = (seed * 31 + i * 7 + (i >> 8)) & 0xff;
  return out;
}
