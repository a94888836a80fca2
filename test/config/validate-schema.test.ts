import { describe, expect, it } from 'vitest';
import { parseNetworkText } from '../../src/config/parse.js';
import { validateAgainstSchema } from '../../src/config/validate-schema.js';
import type { MarveloError } from '../../src/errors.js';

/** Schema errors of an inline network file, as "line:col message". */
async function check(yaml: string): Promise<string[]> {
  const parsed = await parseNetworkText('/net.yaml', yaml);
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => e.message).join('\n'));
  return validateAgainstSchema(parsed.source).map((e: MarveloError) => `${e.where!.line}:${e.where!.col} ${e.message}`);
}

const ok = `
jobs:
  - { name: a, uses: ./a.ts, outputs: [p1] }
  - { name: b, uses: ./b.ts, inputs: [p1] }
`;

describe('config - schema validator', () => {
  it('accepts a minimal network', async () => {
    expect(await check(ok)).toEqual([]);
  });

  it('accepts numeric pipe names as MARVELO wrote them', async () => {
    expect(await check('jobs:\n  - { name: a, uses: ./a.ts, outputs: [101] }\npipes:\n  101: { codec: json }\n')).toEqual([]);
  });

  it('follows YAML aliases', async () => {
    const yaml = 'jobs:\n  - { name: a, uses: ./a.ts, params: &p { n: 1 } }\n  - { name: b, uses: ./b.ts, params: *p, head: *p }\n';
    expect(await check(yaml)).toEqual(["3:48 'head' must be true or false, not a map"]);
  });

  it('explains unions: a name or a list of names', async () => {
    expect(await check('jobs:\n  - { name: a, uses: ./a.ts, groups: 3 }\n')).toEqual(["2:38 'groups' must be a string or a list, not the number 3"]);
    expect(await check('jobs:\n  - { name: a, uses: ./a.ts, groups: [mics, 3] }\n')).toEqual(["2:45 item 2 of 'groups' must be a string, not the number 3"]);
  });

  it('checks patterns and ranges', async () => {
    expect(await check('jobs:\n  - { name: "a b", uses: ./a.ts, head_size: 5 }\n')).toEqual([
      '2:13 "a b" is not a valid \'name\'',
      "2:45 'head_size' must be between 1 and 4, not 5",
    ]);
  });

  it('checks the top level', async () => {
    expect(await check('name: x\njobz: []\n')).toEqual([
      "1:1 the network file is missing the required key 'jobs'",
      "2:1 unknown key 'jobz' in the network file",
    ]);
    expect(await check('- a\n- b\n')).toEqual(['1:1 the network file must be a map, not a list']);
    expect(await check('jobs: []\n')).toEqual(["1:7 'jobs' must have at least 1 item"]);
  });

  it('checks nodes, env values and capacity', async () => {
    const yaml = `${ok}nodes:\n  - { name: n1, port: 70000, capacity: { gpu: 1 } }\n`;
    expect(await check(yaml)).toEqual([
      "6:5 node 'n1' is missing the required key 'host'",
      "6:23 'port' must be between 1 and 65535, not 70000",
      "6:42 unknown key 'gpu' in 'capacity'",
    ]);
    expect(await check('jobs:\n  - { name: a, uses: ./a.ts, env: { LEVEL: 3 } }\n')).toEqual(["2:44 'LEVEL' must be a string, not the number 3"]);
  });

  it('accepts reserved keys and checks their shape', async () => {
    expect(await check('jobs:\n  - { name: a, uses: ./a.ts, resources: { cpu: 1 }, timeout: 1.5, max_retries: 0, replicas: 2 }\n')).toEqual([]);
    expect(await check('jobs:\n  - { name: a, uses: ./a.ts, timeout: soon }\n')).toEqual(['2:39 "soon" is not a valid \'timeout\'']);
  });

  it('reports an empty value as empty', async () => {
    expect(await check('jobs:\n  - name: a\n    uses: ./a.ts\n    inputs:\n')).toEqual(["4:12 'inputs' must be a list, not empty"]);
  });
});

describe('config - YAML aliases', () => {
  const yamlError = async (yaml: string) => {
    const parsed = await parseNetworkText('/net.yaml', yaml);
    expect(parsed.ok).toBe(false);
    return parsed.ok ? undefined : parsed.errors[0]!;
  };

  it('rejects an alias that contains itself', async () => {
    const e = await yamlError('jobs: &x\n  - *x\n');
    expect(e?.code).toBe('MRV_CONFIG_YAML');
    expect(e?.message).toBe('alias *x refers to a value that contains it');
    expect([e?.where?.line, e?.where?.col]).toEqual([2, 5]);
  });

  it('rejects aliases that expand exponentially', async () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 8; i++) {
      const name = String.fromCharCode(97 + i);
      lines.push(`${name}: &${name} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(', ')}]`);
    }
    expect((await yamlError(lines.join('\n')))?.message).toBe(
      'aliases expand the document too much: they add 54480987 values to its 26, at most 100000 may be added',
    );
  });
});
