/**
 * The files through which the harness's feed and collect jobs exchange blocks with the test: v8
 * serialization (the structured clone of Node), so typed arrays, Buffers, bigints and Dates stay what
 * they are; no code is ever run from them.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { deserialize, serialize } from 'node:v8';
import { asBlock, type CollectedBlock } from './block.js';

export function writeFeed(file: string, items: readonly unknown[]): void {
  writeFileSync(file, serialize(items.map((item) => ({ ...asBlock(item) }))));
}

/** Every record the collect job appended: a u32 length (big-endian) and its serialization. */
export function readCollected(file: string): CollectedBlock[] {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return []; // the collector never started (the run failed first)
  }
  const blocks: CollectedBlock[] = [];
  for (let at = 0; at + 4 <= bytes.length; ) {
    const length = bytes.readUInt32BE(at);
    if (at + 4 + length > bytes.length) break; // cut short by a stopped run
    blocks.push(deserialize(bytes.subarray(at + 4, at + 4 + length)) as CollectedBlock);
    at += 4 + length;
  }
  return blocks;
}
