import { readFileSync } from 'node:fs';
import { deserialize } from 'node:v8';
import { Head, ScriptJob } from 'marvelo';

/** One block the test gives: its value and the head it carries (the user bits; reset is the runtime's). */
interface FedBlock {
  value: unknown;
  head: number;
}

/**
 * The source that stands in for a fed pipe's producer (marvelo/testing): sends the test's blocks, in
 * order, from the file the harness wrote (v8 serialization, so typed arrays and Buffers stay what they
 * are), then finishes.
 */
export default class TestFeed extends ScriptJob<{ file: string }> {
  *run() {
    const blocks = deserialize(readFileSync(this.params.file)) as FedBlock[];
    for (const block of blocks) {
      this.head = new Head(block.head, this.head.size);
      yield block.value;
    }
  }
}
