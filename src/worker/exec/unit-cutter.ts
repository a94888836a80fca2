import type { Codec } from '../../wire/types.js';

const EMPTY = Buffer.alloc(0);

/**
 * Cuts the byte stream an executable writes to one output into units of `[head] + payload`: the head
 * is `headSize` bytes (big-endian; 0 without HEAD), the payload is what the pipe's codec measures
 * (block_size bytes, `length` elements, one JSON line, one msgpack value).
 */
export class UnitCutter {
  /** Bytes being cut, from `pos`. */
  private buf: Buffer = EMPTY;
  private pos = 0;
  /** Chunks not yet joined to `buf`: a large fixed-size unit is joined once, not once per chunk. */
  private chunks: Buffer[] = [];
  private chunkBytes = 0;
  private readonly minUnit: number;
  /** The head of the unit next() found (0 without HEAD). */
  head = 0;
  /** The payload of the unit next() found: a view, valid until the next call. */
  payload: Uint8Array = EMPTY;

  constructor(
    private readonly headSize: number,
    private readonly codec: Codec,
  ) {
    this.minUnit = headSize + (codec.fixedSize ?? 1);
  }

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.chunkBytes += chunk.length;
  }

  /** Finds the next complete unit (into head and payload); false when more bytes are needed. */
  next(): boolean {
    if (this.chunks.length > 0 && this.buf.length - this.pos < this.minUnit && this.buffered >= this.minUnit) this.join();
    const { buf, pos, headSize } = this;
    if (buf.length - pos < this.minUnit) return false;
    const size = this.codec.measure(buf, pos + headSize, buf.length);
    if (size < 0) {
      if (this.chunks.length === 0) return false;
      this.join();
      return this.next();
    }
    this.head = headSize > 0 ? buf.readUIntBE(pos, headSize) : 0;
    this.payload = buf.subarray(pos + headSize, pos + headSize + size);
    this.pos = pos + headSize + size;
    return true;
  }

  /** Bytes received but not yet cut into a unit. */
  get buffered(): number {
    return this.buf.length - this.pos + this.chunkBytes;
  }

  private join(): void {
    const rest = this.buf.subarray(this.pos);
    this.buf = rest.length === 0 && this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat([rest, ...this.chunks]);
    this.pos = 0;
    this.chunks = [];
    this.chunkBytes = 0;
  }
}
