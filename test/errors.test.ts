import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, MarveloError, formatError } from '../src/errors.js';

describe('errors - the catalogue', () => {
  it('docs/errors.md lists every code and nothing else', () => {
    const doc = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8');
    const documented = [...doc.matchAll(/^\| `(MRV_[A-Z_]+)` \|/gm)].map((m) => m[1]).sort();
    expect(documented).toEqual(Object.keys(ERROR_CODES).sort());
  });

  it('formats location, code, message and hint, naming the job once', () => {
    const e = new MarveloError('MRV_CONFIG_GRAPH', "job 'a' is connected to itself", {
      where: { file: '/nowhere/net.yaml', line: 3, col: 5 },
      job: 'a',
      hint: 'send it to another job',
    });
    expect(formatError(e)).toBe("/nowhere/net.yaml:3:5: MRV_CONFIG_GRAPH job 'a' is connected to itself\n  hint: send it to another job");
    const p = new MarveloError('MRV_WIRE_CODEC', 'expected 4 bytes, got 3', { pipe: 'p1' });
    expect(formatError(p)).toBe("MRV_WIRE_CODEC pipe 'p1': expected 4 bytes, got 3");
  });

  it('shows control characters escaped: a tab or a terminal escape from a quoted YAML string', () => {
    const e = new MarveloError('MRV_CONFIG_MODULE', 'executable /bin/m\tovavg does not exist', {
      where: { file: '/nowhere/n\u001b[31m.yaml', line: 8, col: 17 },
      hint: 'look at \u0085/bin',
    });
    expect(formatError(e)).toBe('/nowhere/n\\u001b[31m.yaml:8:17: MRV_CONFIG_MODULE executable /bin/m\\u0009ovavg does not exist\n  hint: look at \\u0085/bin');
  });
});
