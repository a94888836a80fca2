import { describe, expect, it } from 'vitest';
import { describePort, invalidPort, portAccepts } from '../../src/config/port-match.js';
import type { CodecSpec } from '../../src/config/types.js';

const bytes1k: CodecSpec = { kind: 'bytes', blockSize: 1024 };
const f32: CodecSpec = { kind: 'typed', type: 'float32', length: 256 };
const custom: CodecSpec = { kind: 'custom', module: '/c.ts', exportName: 'default' };

describe('config - port types against pipe codecs', () => {
  it("matches codec names, and 'any' matches everything", () => {
    expect(portAccepts('msgpack', { kind: 'msgpack' })).toBe(true);
    expect(portAccepts('json', { kind: 'msgpack' })).toBe(false);
    expect(portAccepts('float32', f32)).toBe(true);
    expect(portAccepts('int16', f32)).toBe(false);
    for (const codec of [bytes1k, f32, custom, { kind: 'json' } as CodecSpec]) {
      expect(portAccepts('any', codec)).toBe(true);
      expect(portAccepts({ codec: 'any' }, codec)).toBe(true);
    }
  });

  it('compares block_size and length when the port gives them', () => {
    expect(portAccepts({ codec: 'bytes', block_size: 1024 }, bytes1k)).toBe(true);
    expect(portAccepts({ codec: 'bytes', block_size: 512 }, bytes1k)).toBe(false);
    expect(portAccepts({ codec: 'bytes' }, bytes1k)).toBe(true);
    expect(portAccepts({ codec: 'float32', length: 256 }, f32)).toBe(true);
    expect(portAccepts({ codec: 'float32', length: 128 }, f32)).toBe(false);
  });

  it('takes a custom codec only on an any port', () => {
    expect(portAccepts('msgpack', custom)).toBe(false);
  });

  it('describes ports and rejects malformed ones', () => {
    expect(describePort({ codec: 'bytes', block_size: 8 })).toBe('bytes[8]');
    expect(describePort('int32')).toBe('int32');
    expect(invalidPort('float16')).toBe("unknown codec 'float16'");
    expect(invalidPort({ codec: 'bytes', block_size: 0 })).toBe('block_size must be an integer >= 1');
    expect(invalidPort({ codec: 'any' })).toBeUndefined();
  });
});
