import { describe, expect, it } from 'vitest';
import { fixture, errorsOf, expectError, tempBundleDir } from './helpers.js';
import { validateNetwork } from '../../src/config/load.js';

const bundleDir = tempBundleDir();
const errors = (name: string) => errorsOf(name, bundleDir);

describe('config - YAML errors', () => {
  it('reports a syntax error with its line and stops there', async () => {
    const all = await errors('yaml-syntax.yaml');
    expect(all.every((e) => e.code === 'MRV_CONFIG_YAML')).toBe(true);
    expectError(all, { code: 'MRV_CONFIG_YAML', message: 'invalid YAML: Flow sequence', line: 5, col: 3, hint: 'closed' });
    expect(all[0]!.where?.file).toBe(fixture('networks', 'errors', 'yaml-syntax.yaml'));
  });

  it('reports a nested mapping at the offending value', async () => {
    expectError(await errors('yaml-mapping.yaml'), {
      code: 'MRV_CONFIG_YAML',
      message: 'Nested mappings are not allowed',
      line: 3,
      col: 11,
    });
  });

  it('reports a duplicate key at the second occurrence', async () => {
    expectError(await errors('yaml-duplicate.yaml'), {
      code: 'MRV_CONFIG_YAML',
      message: 'Map keys must be unique',
      line: 6,
      col: 3,
      hint: 'merge',
    });
  });

  it('reports a missing file as MRV_CONFIG_FILE', async () => {
    const result = await validateNetwork(fixture('networks', 'no-such.yaml'), { bundleDir });
    expect(result.ok).toBe(false);
    expect(result.errors[0]!.code).toBe('MRV_CONFIG_FILE');
    expect(result.errors[0]!.message).toContain('does not exist');
  });

  it('reports an empty file', async () => {
    expectError(await errors('empty.yaml'), { code: 'MRV_CONFIG_SCHEMA', message: 'the network file is empty', line: 1, hint: 'jobs:' });
  });
});

describe('config - schema errors', () => {
  it('rejects an unknown key with a "did you mean" for a near miss', async () => {
    const all = await errors('unknown-key.yaml');
    expectError(all, {
      code: 'MRV_CONFIG_SCHEMA',
      message: "unknown key 'output' in job 'source'",
      line: 4,
      col: 5,
      hint: "did you mean 'outputs'?",
      job: 'source',
    });
    // Far from every key: list what is allowed instead of guessing.
    expectError(all, { code: 'MRV_CONFIG_SCHEMA', message: "unknown key 'colour'", line: 8, col: 5, hint: /allowed keys here: name, uses, /u });
  });

  it('stops after the schema phase: no module or graph errors on top', async () => {
    const all = await errors('unknown-key.yaml');
    expect(all.every((e) => e.code === 'MRV_CONFIG_SCHEMA')).toBe(true);
    expect(all).toHaveLength(2);
  });

  it('rejects a value of the wrong type at the value', async () => {
    expectError(await errors('wrong-type.yaml'), {
      code: 'MRV_CONFIG_SCHEMA',
      message: `'block_count' must be an integer, not the string "five"`,
      line: 6,
      col: 18,
      hint: 'integer >= 1',
      pipe: 'p1',
    });
  });

  it('reports missing required keys', async () => {
    const all = await errors('missing-required.yaml');
    expectError(all, { code: 'MRV_CONFIG_SCHEMA', message: "job 1 is missing the required key 'name'", line: 2, col: 5, hint: 'name: ' });
    expectError(all, {
      code: 'MRV_CONFIG_SCHEMA',
      message: "job 'sink' needs 'uses' or 'executable'",
      line: 4,
      col: 5,
      hint: 'give exactly one of uses',
    });
  });

  it('rejects an unknown codec with a suggestion and the allowed forms', async () => {
    expectError(await errors('unknown-codec.yaml'), {
      code: 'MRV_CONFIG_SCHEMA',
      message: "unknown codec 'msgpak'",
      line: 5,
      col: 16,
      hint: /did you mean 'msgpack'\? use one of: msgpack, json, bytes, float32, float64, int16, int32, or a custom codec module/u,
    });
  });

  it('requires block_size for bytes and length for typed codecs, and only there', async () => {
    const all = await errors('codec-sizes.yaml');
    expectError(all, {
      code: 'MRV_CONFIG_SCHEMA',
      message: "missing the required key 'block_size' (needed when codec is 'bytes')",
      line: 6,
      col: 12,
      hint: 'block_size: 1024',
      pipe: 'p1',
    });
    expectError(all, {
      code: 'MRV_CONFIG_SCHEMA',
      message: "missing the required key 'length' (needed when codec is 'float32')",
      line: 7,
      col: 16,
      hint: 'length: 256',
      pipe: 'p2',
    });
    expectError(all, { code: 'MRV_CONFIG_SCHEMA', message: "'block_size' is not allowed when codec is not 'bytes'", line: 7, col: 25 });
  });

  it('checks optional: values, its drop policy, and that it implies async', async () => {
    const all = await errors('optional.yaml');
    expectError(all, { code: 'MRV_CONFIG_SCHEMA', message: "'buffer' must be >= 1, not 0", line: 5, col: 43 });
    expectError(all, { code: 'MRV_CONFIG_SCHEMA', message: "unknown drop 'block'", line: 5, col: 52, hint: 'use one of: oldest, newest' });
    expectError(all, { code: 'MRV_CONFIG_SCHEMA', message: "'async' must be true when 'optional' is given", line: 5, col: 16 });
  });

  it('takes exactly one of uses and executable, and keys of the right kind of job', async () => {
    const all = await errors('executable.yaml');
    expectError(all, { code: 'MRV_CONFIG_SCHEMA', message: "'params' is not allowed when 'executable' is given", line: 7, col: 5, hint: 'args' });
    expectError(all, { code: 'MRV_CONFIG_SCHEMA', message: "job 'both' has both 'uses' and 'executable'", line: 10, col: 5 });
    // args with uses: allowed by the schema (an ExecutableJob class takes it); see test/exec/config.test.ts.
    expect(all.some((e) => e.message.includes("'args'"))).toBe(false);
  });
});
