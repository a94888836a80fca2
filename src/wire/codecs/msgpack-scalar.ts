/**
 * Writes the msgpack encoding of simple values (numbers, booleans, null/undefined, short ASCII
 * strings) straight into a frame batch: the common payloads of small-block streams, without msgpackr's
 * per-call result view. Anything else returns -1 and goes through msgpackr. The bytes are plain
 * msgpack (the same families msgpackr and msgpack-lite write), so any reader decodes them.
 */
const f64 = new Float64Array(1);
const f64Bytes = new Uint8Array(f64.buffer);
const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Largest payload written here: fixstr of 31 chars + 1, or float64 (9). */
export const MSGPACK_SCALAR_MAX = 32;

export function encodeMsgpackScalar(value: unknown, t: Uint8Array, at: number, limit: number): number {
  if (limit - at < MSGPACK_SCALAR_MAX) return -1;
  switch (typeof value) {
    case 'number':
      return encodeNumber(value, t, at);
    case 'string':
      return encodeShortAscii(value, t, at);
    case 'boolean':
      t[at] = value ? 0xc3 : 0xc2;
      return at + 1;
    case 'undefined':
      t[at] = 0xc0;
      return at + 1;
    case 'object':
      if (value !== null) return -1;
      t[at] = 0xc0;
      return at + 1;
    default:
      return -1;
  }
}

function encodeNumber(v: number, t: Uint8Array, at: number): number {
  if (Number.isInteger(v)) {
    if (v >= 0) {
      if (v < 0x80) {
        t[at] = v;
        return at + 1;
      }
      if (v < 0x100) {
        t[at] = 0xcc;
        t[at + 1] = v;
        return at + 2;
      }
      if (v < 0x10000) {
        t[at] = 0xcd;
        t[at + 1] = v >>> 8;
        t[at + 2] = v & 0xff;
        return at + 3;
      }
      if (v < 0x1_0000_0000) {
        t[at] = 0xce;
        t[at + 1] = v >>> 24;
        t[at + 2] = (v >>> 16) & 0xff;
        t[at + 3] = (v >>> 8) & 0xff;
        t[at + 4] = v & 0xff;
        return at + 5;
      }
    } else if (v >= -0x8000_0000) {
      if (v >= -32) {
        t[at] = v & 0xff; // negative fixint
        return at + 1;
      }
      if (v >= -0x80) {
        t[at] = 0xd0;
        t[at + 1] = v & 0xff;
        return at + 2;
      }
      if (v >= -0x8000) {
        t[at] = 0xd1;
        t[at + 1] = (v >> 8) & 0xff;
        t[at + 2] = v & 0xff;
        return at + 3;
      }
      t[at] = 0xd2;
      t[at + 1] = (v >> 24) & 0xff;
      t[at + 2] = (v >> 16) & 0xff;
      t[at + 3] = (v >> 8) & 0xff;
      t[at + 4] = v & 0xff;
      return at + 5;
    }
  }
  // Fractions and integers beyond 32 bits: float64, big-endian (exact for every JS number).
  f64[0] = v;
  t[at] = 0xcb;
  if (littleEndian) for (let i = 0; i < 8; i++) t[at + 1 + i] = f64Bytes[7 - i]!;
  else t.set(f64Bytes, at + 1);
  return at + 9;
}

function encodeShortAscii(s: string, t: Uint8Array, at: number): number {
  const n = s.length;
  if (n > 31) return -1;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x7f) return -1;
    t[at + 1 + i] = c;
  }
  t[at] = 0xa0 | n;
  return at + 1 + n;
}

/**
 * Reads a payload that is exactly one simple msgpack value (nil, booleans, ints up to 32 bits,
 * float32/float64, an ASCII fixstr) without msgpackr's per-call set-up. Anything else, or any byte
 * left over, returns undefined (no msgpack value decodes to it: nil is null) and msgpackr decodes it
 * (and reports errors). A constant the caller compares with `=== undefined` is cheap on the hot path;
 * a symbol compared with numbers made V8 call its generic equality for every block.
 */
export function decodeMsgpackScalar(b: Uint8Array, at: number, end: number): unknown {
  const n = end - at;
  if (n <= 0) return undefined;
  const t = b[at]!;
  if (n === 1) {
    if (t < 0x80) return t;
    if (t >= 0xe0) return t - 0x100;
    if (t === 0xc0) return null;
    if (t === 0xc2) return false;
    if (t === 0xc3) return true;
    if (t === 0xa0) return '';
    return undefined;
  }
  if ((t & 0xe0) === 0xa0) return (t & 0x1f) === n - 1 ? asciiOr(b, at + 1, end) : undefined;
  switch (t) {
    case 0xcc:
      return n === 2 ? b[at + 1]! : undefined;
    case 0xcd:
      return n === 3 ? (b[at + 1]! << 8) | b[at + 2]! : undefined;
    case 0xce:
      return n === 5 ? b[at + 1]! * 0x100_0000 + ((b[at + 2]! << 16) | (b[at + 3]! << 8) | b[at + 4]!) : undefined;
    case 0xd0:
      return n === 2 ? (b[at + 1]! << 24) >> 24 : undefined;
    case 0xd1:
      return n === 3 ? (((b[at + 1]! << 8) | b[at + 2]!) << 16) >> 16 : undefined;
    case 0xd2:
      return n === 5 ? (b[at + 1]! << 24) | (b[at + 2]! << 16) | (b[at + 3]! << 8) | b[at + 4]! : undefined;
    case 0xcb:
      if (n !== 9) return undefined;
      if (littleEndian) for (let i = 0; i < 8; i++) f64Bytes[7 - i] = b[at + 1 + i]!;
      else for (let i = 0; i < 8; i++) f64Bytes[i] = b[at + 1 + i]!;
      return f64[0];
    case 0xca:
      if (n !== 5) return undefined;
      if (littleEndian) for (let i = 0; i < 4; i++) f32Bytes[3 - i] = b[at + 1 + i]!;
      else for (let i = 0; i < 4; i++) f32Bytes[i] = b[at + 1 + i]!;
      return f32[0];
    default:
      return undefined;
  }
}

const f32 = new Float32Array(1);
const f32Bytes = new Uint8Array(f32.buffer);

function asciiOr(b: Uint8Array, from: number, end: number): string | undefined {
  let s = '';
  for (let i = from; i < end; i++) {
    const c = b[i]!;
    if (c > 0x7f) return undefined;
    s += String.fromCharCode(c);
  }
  return s;
}
