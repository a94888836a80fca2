import { closeSync, openSync, writeSync } from 'node:fs';
import { serialize } from 'node:v8';
import { ScriptJob, type Head } from 'marvelo';

/**
 * The sink that stands in for a collected pipe's consumer (marvelo/testing): appends every block it
 * gets (value, head, SQN) to the harness's file at once, so what arrived before a failure is kept.
 * Each record is a u32 length (big-endian) and its v8 serialization.
 */
export default class TestCollect extends ScriptJob<{ file: string }> {
  private fd: number | undefined;

  setup(): void {
    this.fd = openSync(this.params.file, 'w');
  }

  run(value: unknown): void {
    const head = this.inHeads[0] as Head; // block_count 1: the harness never groups a collected pipe
    const body = serialize({ value, head: head.value, sqn: this.sqn });
    const length = Buffer.alloc(4);
    length.writeUInt32BE(body.length);
    writeSync(this.fd!, Buffer.concat([length, body]));
  }

  teardown(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
