/** Test helpers: build frames independently of FrameWriter, collect decoded frames as copies. */
import { FrameDecoder } from '../../src/wire/frame-decoder.js';
import type { StreamReader } from '../../src/wire/stream-reader.js';

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

/**
 * A socket's reads as Node makes them with `onread` (lib/internal/stream_base_commons.js): the buffer
 * for the next read is asked for once at the start and then right after each callback, and the next
 * read lands there, whatever the reader did in between (a resume() outside a read, for instance).
 */
export class NodeReads {
  private target: Uint8Array;
  pos = 0;
  constructor(
    private readonly reader: StreamReader,
    private readonly stream: Uint8Array,
  ) {
    this.target = this.nextTarget();
  }

  private nextTarget(): Uint8Array {
    const { buffer } = this.reader.onread;
    return typeof buffer === 'function' ? buffer() : buffer;
  }

  /** Reads until the stream ends or the callback returns false (Node then stops reading). */
  run(readSize: (i: number, pos: number) => number): boolean[] {
    const results: boolean[] = [];
    for (let i = 0; this.pos < this.stream.length; i++) {
      const target = this.target;
      if (target.byteLength === 0) throw new Error('a zero-length read buffer (Node would take it for EOF)');
      const n = Math.min(target.byteLength, readSize(i, this.pos), this.stream.length - this.pos);
      target.set(this.stream.subarray(this.pos, this.pos + n));
      this.pos += n;
      const r = this.reader.onread.callback(n, target);
      this.target = this.nextTarget();
      results.push(r !== false);
      if (r === false) break;
    }
    return results;
  }
}
