import { createCodec } from '../../src/wire/codecs.js';
import type { Codec } from '../../src/wire/types.js';
import { BYTES_BLOCK_SIZE, FLOAT32_FRAME_LENGTH } from '../lib/payloads.js';
import type { PayloadKind } from './stage-options.js';

/** The runtime's codec for a payload kind: the same codec the bench networks declare on their pipes. */
export function payloadCodec(kind: PayloadKind): Codec {
  switch (kind) {
    case 'bytes':
      return createCodec({ kind: 'bytes', blockSize: BYTES_BLOCK_SIZE });
    case 'float32':
      return createCodec({ kind: 'typed', type: 'float32', length: FLOAT32_FRAME_LENGTH });
    case 'int':
    case 'time':
      return createCodec({ kind: 'msgpack' });
  }
}
