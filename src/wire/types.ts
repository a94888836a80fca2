import type { CodecSpec } from '../config/types.js';

/**
 * A pipe's codec. Chosen once per pipe at start-up; nothing here may allocate more than the value itself.
 */
export interface Codec<T = unknown> {
  readonly spec: CodecSpec;
  /** Exact payload size in bytes when the codec fixes it (bytes, typed arrays), else undefined. */
  readonly fixedSize: number | undefined;
  /**
   * Encode one value. The result may be a view into a scratch buffer that the next call overwrites:
   * the caller copies it (into a frame batch) before encoding again.
   * Throws MarveloError MRV_WIRE_CODEC when the value does not fit the codec.
   */
  encode(value: T): Uint8Array;
  /**
   * Decode the payload buf[start, end). A range, not a view, so the hot path creates no object per
   * block besides the value. When `zeroCopy` is true the result may be a view of those bytes:
   * the caller passes bytes that are never written again (StreamReader's keep mode). Otherwise the
   * result never aliases `buf`, which the caller may reuse after the call.
   */
  decode(buf: Uint8Array, start: number, end: number): T;
  /**
   * A raw-bytes codec (bytes, typed arrays): encode returns a view of the value's own bytes and decode
   * a view of the payload (see decode). Producers then send large values without copying them.
   */
  readonly zeroCopy: boolean;
  /**
   * Byte alignment a payload needs to be viewed in place (a typed array's element size); 1 = any.
   * Producers align such payloads in the stream (PAD frames), StreamReader keeps the alignment.
   */
  readonly payloadAlign: number;
  /**
   * Optional fast path: write the payload of `value` straight into target[at, limit) and return where it
   * ends, or -1 when this value needs encode() (too big, or not a simple value). No allocation.
   */
  encodeInto?(value: T, target: Uint8Array, at: number, limit: number): number;
  /** The value of a 'zero' dummy: zero-filled bytes/typed array, null for msgpack/json. */
  zero(): T;
  /**
   * Stream framing for executables: the byte length of the next complete payload in buf[start, end),
   * or -1 when more bytes are needed (bytes/typed: fixed size; json: through '\n'; msgpack: one value).
   */
  measure(buf: Uint8Array, start: number, end: number): number;
  /** Bytes an executable reads for one value (json adds '\n'); defaults to encode. */
  encodeForStream(value: T): Uint8Array;
  /** Inverse of encodeForStream for one measured payload (a fresh or owned view). */
  decodeFromStream(bytes: Uint8Array): T;
}

/** A custom codec module's shape (`codec: ./my-codec.ts` on a pipe). */
export interface CustomCodecModule<T = unknown> {
  pack(value: T): Uint8Array;
  unpack(bytes: Uint8Array): T;
  /** Fixed payload size, if any. */
  blockSize?: number;
  /** Stream framing for executables; defaults to blockSize when given. */
  measure?(buf: Uint8Array, start: number, end: number): number;
  /** Value of a 'zero' dummy (default: unpack of blockSize zero bytes, else null). */
  dummy?(): T;
}

/**
 * Frame = u32 length (big-endian, counts kind + body) | u8 kind | body.
 * DATA body = u64 SQN (big-endian) | head (headSize bytes, big-endian) | payload.
 */
export const FrameKind = {
  /** producer -> consumer: one block */
  DATA: 1,
  /**
   * consumer -> producer: u32 BE number of further blocks the producer may send; on a pipe with a replay
   * buffer (PipeSpec.restartable) it may add a u64 BE SQN: every block through it was processed (ack).
   */
  CREDIT: 2,
  /** producer -> consumer: u64 BE SQN of the last block sent; no more blocks follow */
  END: 3,
  /** either way: utf-8 reason; the sender closes after it */
  ERROR: 4,
  /** consumer -> producer, first frame on accept: 32 random bytes (nonce) */
  CHALLENGE: 5,
  /** producer -> consumer, answer: 32 bytes HMAC-SHA256(secret, nonce | pipe name) | utf-8 pipe name */
  HELLO: 6,
  /** consumer -> producer: the consumer has finished; stop sending on this pipe */
  CLOSE: 7,
  /** producer -> consumer: padding (any body, ignored), so that the next payload is aligned in the stream */
  PAD: 8,
  /**
   * consumer -> producer, on a restartable pipe the first frame after HELLO: u64 BE SQN of the last block
   * the consumer holds (0: none); the producer sends only later blocks, replaying what it kept.
   */
  RESUME: 9,
} as const;
export type FrameKind = (typeof FrameKind)[keyof typeof FrameKind];

/** Header bytes before the body: u32 length + u8 kind. */
export const FRAME_HEADER = 5;
/**
 * Payloads that need alignment start at a stream offset that is a multiple of this (counted from the
 * first byte the producer sends on the connection); 8 covers every typed array.
 */
export const STREAM_ALIGN = 8;
/** A frame longer than this is a protocol error (guards against garbage lengths). */
export const MAX_FRAME = 256 * 1024 * 1024;

/** Bytes of a DATA frame's length besides the payload: kind and SQN (the head comes on top). */
const DATA_FRAME_OVERHEAD = 1 + 8;

/** The largest payload one block can carry on a pipe whose head has `headSize` bytes. */
export function maxPayload(headSize: number): number {
  return MAX_FRAME - DATA_FRAME_OVERHEAD - headSize;
}

export type Address =
  | { kind: 'unix'; path: string }
  | { kind: 'tcp'; host: string; port: number };
