import type { Codec } from '../types.js';
import { checkCarried } from './carried.js';
import { codecError, describeValue } from './codec-error.js';

const NEWLINE = 0x0a;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * JSON text, UTF-8. On the wire the payload has no newline; the stream an executable sees is one JSON
 * document per line (JSON.stringify never emits a raw newline, so '\n' always ends a value).
 * A value JSON would change (NaN, a Date, a Map, a bigint...) is refused before encoding (carried.ts);
 * undefined encodes as null (in an object, the key is left out).
 */
export function createJsonCodec(pipe: string | undefined): Codec {
  function stringify(value: unknown): string {
    checkCarried('json', value, pipe);
    let text: string | undefined;
    try {
      text = JSON.stringify(value);
    } catch (e) {
      throw codecError(`json cannot encode ${describeValue(value)}: ${(e as Error).message}`, pipe, e);
    }
    return text ?? 'null';
  }

  function decode(buf: Uint8Array, start: number, end: number): unknown {
    try {
      return JSON.parse(utf8.decode(buf.subarray(start, end)));
    } catch (e) {
      throw codecError(`json cannot decode a payload of ${end - start} bytes: ${(e as Error).message}`, pipe, e,
        'the producer of this pipe must write exactly one JSON document per block');
    }
  }

  return {
    spec: { kind: 'json' },
    fixedSize: undefined,
    zeroCopy: false,
    payloadAlign: 1,
    encode: (value) => Buffer.from(stringify(value), 'utf8'),
    decode,
    zero: () => null,
    measure(buf, start, end) {
      const at = buf.indexOf(NEWLINE, start);
      return at === -1 || at >= end ? -1 : at - start + 1;
    },
    encodeForStream: (value) => Buffer.from(stringify(value) + '\n', 'utf8'),
    decodeFromStream(bytes) {
      const n = bytes.byteLength;
      let cut = n > 0 && bytes[n - 1] === NEWLINE ? n - 1 : n;
      if (cut > 0 && bytes[cut - 1] === 0x0d) cut--; // tolerate CRLF from executables
      return decode(bytes, 0, cut);
    },
  };
}
