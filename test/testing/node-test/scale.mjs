// A test file for node:test (run by test/testing/node-test.test.ts): marvelo/testing from a plain .mjs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { block, testJob } from 'marvelo/testing';

test('scale doubles every value and keeps its head', async () => {
  const r = await testJob(new URL('../jobs/scale.ts', import.meta.url).href, { params: { factor: 2 }, inputs: [[1, block(2, { head: 0x10 })]] });
  assert.deepEqual(r.values[0], [2, 4]);
  assert.deepEqual(r.outputs[0].map((b) => b.head), [0x40, 0x10]);
});
