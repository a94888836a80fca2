/**
 * Length of one complete msgpack value at buf[start, end), without decoding it; -1 when incomplete.
 *
 * Walks the encoding with a single counter of values still to skip (containers add their items to it),
 * so nesting depth costs no stack. Throws on the one byte msgpack never uses (0xc1).
 */
export function measureMsgpack(buf: Uint8Array, start: number, end: number): number {
  let pos = start;
  let pending = 1;
  while (pending > 0) {
    // every pending value needs at least one byte
    if (end - pos < pending) return -1;
    const b = buf[pos]!;
    pending--;
    if (b < 0x80 || b >= 0xe0) {
      pos += 1; // positive / negative fixint
    } else if (b < 0x90) {
      pending += 2 * (b & 0x0f); // fixmap
      pos += 1;
    } else if (b < 0xa0) {
      pending += b & 0x0f; // fixarray
      pos += 1;
    } else if (b < 0xc0) {
      pos += 1 + (b & 0x1f); // fixstr
    } else if (b >= 0xdc && b <= 0xdf) {
      // array16, array32, map16, map32: a count, then the items
      const width = b === 0xdc || b === 0xde ? 2 : 4;
      if (pos + 1 + width > end) return -1;
      const count = readCount(buf, pos + 1, width);
      pending += b >= 0xde ? 2 * count : count;
      pos += 1 + width;
    } else {
      const size = sizeOf(buf, b, pos, end);
      if (size < 0) return -1;
      pos += size;
    }
  }
  return pos <= end ? pos - start : -1;
}

/** Total size of a 0xc0..0xdb value with its payload; -1 when its length bytes have not arrived. */
function sizeOf(buf: Uint8Array, b: number, pos: number, end: number): number {
  switch (b) {
    case 0xc0: // nil
    case 0xc2: // false
    case 0xc3: // true
      return 1;
    case 0xc1:
      throw new RangeError(`byte 0xc1 at offset ${pos} is never used in msgpack`);
    case 0xc4: // bin8
    case 0xd9: // str8
      return sized(buf, pos, end, 1, 2);
    case 0xc5: // bin16
    case 0xda: // str16
      return sized(buf, pos, end, 2, 3);
    case 0xc6: // bin32
    case 0xdb: // str32
      return sized(buf, pos, end, 4, 5);
    case 0xc7: // ext8: size, type, data
      return sized(buf, pos, end, 1, 3);
    case 0xc8: // ext16
      return sized(buf, pos, end, 2, 4);
    case 0xc9: // ext32
      return sized(buf, pos, end, 4, 6);
    case 0xca: // float32
      return 5;
    case 0xcb: // float64
      return 9;
    case 0xcc: // uint8
    case 0xd0: // int8
      return 2;
    case 0xcd:
    case 0xd1:
      return 3;
    case 0xce:
    case 0xd2:
      return 5;
    case 0xcf:
    case 0xd3:
      return 9;
    case 0xd4: // fixext1: type + 1
      return 3;
    case 0xd5:
      return 4;
    case 0xd6:
      return 6;
    case 0xd7:
      return 10;
    case 0xd8: // fixext16
      return 18;
    default:
      throw new RangeError(`unexpected msgpack type byte 0x${b.toString(16)} at offset ${pos}`);
  }
}

/** Size of a length-prefixed value: `width` length bytes after the type byte, `header` bytes before data. */
function sized(buf: Uint8Array, pos: number, end: number, width: number, header: number): number {
  if (pos + 1 + width > end) return -1;
  return header + readCount(buf, pos + 1, width);
}

function readCount(buf: Uint8Array, at: number, width: number): number {
  if (width === 1) return buf[at]!;
  if (width === 2) return (buf[at]! << 8) | buf[at + 1]!;
  return buf[at]! * 0x100_0000 + ((buf[at + 1]! << 16) | (buf[at + 2]! << 8) | buf[at + 3]!);
}
