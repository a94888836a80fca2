/**
 * The bytes of a network file -> its text, refusing what YAML text cannot hold: bytes that are not UTF-8,
 * and characters outside YAML's printable set (a binary file is refused here, at its first such byte,
 * instead of being parsed and echoed back as one long string).
 */
import { isUtf8 } from 'node:buffer';

export type NetworkText = { ok: true; text: string } | { ok: false; problem: TextProblem };

export interface TextProblem {
  line: number;
  col: number;
  message: string;
  hint: string;
}

/** Characters YAML 1.2 does not allow in a stream (c-printable's complement), escapes aside. */
const NOT_PRINTABLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u0084\u0086-\u009F\uFFFE\uFFFF]/u;

/** `file` names the file in messages, e.g. 'the network file'. */
export function decodeNetworkText(bytes: Uint8Array, file = 'the network file'): NetworkText {
  if (!isUtf8(bytes)) {
    const at = firstInvalidUtf8(bytes);
    const before = Buffer.from(bytes.buffer, bytes.byteOffset, at).toString('utf8');
    const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
    return {
      ok: false,
      problem: {
        ...positionIn(before, before.length),
        message: `${file} is not UTF-8 text: byte 0x${bytes[at]!.toString(16).padStart(2, '0')} cannot start or continue a character`,
        hint: utf16
          ? 'the file is UTF-16; save it as UTF-8'
          : `save the file as UTF-8 (or check that this is ${file} and not a binary file)`,
      },
    };
  }
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  const bad = NOT_PRINTABLE.exec(text);
  if (bad !== null) {
    const code = bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    return {
      ok: false,
      problem: {
        ...positionIn(text, bad.index),
        message: `${file} holds the control character U+${code}, which YAML text may not contain`,
        hint: `write it as an escape in a double-quoted string (e.g. "\\0"), or check that this is ${file} and not a binary file`,
      },
    };
  }
  return { ok: true, text };
}

/** 1-based line and column (in UTF-16 units, as yaml counts them) of `offset` in `text`. */
function positionIn(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, col: offset - lineStart + 1 };
}

/** Offset of the first byte that is not part of a well-formed UTF-8 sequence (the bytes are not UTF-8). */
function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    let need: number;
    let min: number;
    if (c < 0x80) {
      i++;
      continue;
    } else if (c >= 0xc2 && c <= 0xdf) [need, min] = [1, 0x80];
    else if (c >= 0xe0 && c <= 0xef) [need, min] = [2, 0x800];
    else if (c >= 0xf0 && c <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    let cp = c & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const next = b[i + k];
      if (next === undefined || (next & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (next & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return i;
}
