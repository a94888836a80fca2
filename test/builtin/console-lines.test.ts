import { describe, expect, it } from 'vitest';
import { ConsoleLineSplitter } from '../../src/api/console-lines.js';

function split(chunks: (string | Buffer)[], limit: number): { lines: string[]; tooLong: number } {
  const lines: string[] = [];
  let tooLong = 0;
  const s = new ConsoleLineSplitter((l) => lines.push(l), () => tooLong++, limit);
  for (const c of chunks) s.push(typeof c === 'string' ? Buffer.from(c) : c);
  s.end();
  return { lines, tooLong };
}

describe('console lines', () => {
  it('joins lines across chunks, drops a trailing CR, keeps a last line without newline', () => {
    expect(split(['ab', 'c\nd', 'e\r\n\nf'], 10)).toEqual({ lines: ['abc', 'de', '', 'f'], tooLong: 0 });
  });

  it('decodes a character split between chunks', () => {
    const euro = Buffer.from('€\n');
    expect(split([euro.subarray(0, 1), euro.subarray(1)], 10).lines).toEqual(['€']);
  });

  it('takes a line of exactly the limit, skips a longer one up to its newline, once, and goes on', () => {
    expect(split(['12345\n123456\nok\n'], 5)).toEqual({ lines: ['12345', 'ok'], tooLong: 1 });
    expect(split(['123', '456', '789', '\nok'], 5)).toEqual({ lines: ['ok'], tooLong: 1 });
    expect(split(['1234567'], 5)).toEqual({ lines: [], tooLong: 1 });
  });
});
