import { describe, expect, it } from 'vitest';
import { closest, editDistance } from '../../src/config/suggest.js';

describe('config - did you mean', () => {
  it('counts a swap of two letters as one edit', () => {
    expect(editDistance('ouptuts', 'outputs')).toBe(1);
    expect(editDistance('output', 'outputs')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('suggests only close names', () => {
    expect(closest('output', ['inputs', 'outputs'])).toBe('outputs');
    expect(closest('Block_Count', ['block_count'])).toBe('block_count');
    expect(closest('colour', ['name', 'uses', 'outputs'])).toBeUndefined();
  });
});
