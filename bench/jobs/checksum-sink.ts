import { ScriptJob } from 'marvelo';
import { addToChecksum } from '../lib/checksum.js';
import { formatMarker } from '../lib/markers.js';

export interface ChecksumSinkParams {
  /** Block k must be k * k * factor (the join of the soak network multiplies k and factor * k). */
  factor: number;
}

/**
 * The join soak's sink: checks every block against its closed form (block k = factor * k^2), and
 * keeps a checksum (bench/lib/checksum.ts) for the harness to compare with the closed
 * form of the whole stream. Prints one @bench marker at the end: blocks, mismatches, first mismatch,
 * checksum.
 */
export default class ChecksumSink extends ScriptJob<ChecksumSinkParams> {
  private blocks = 0;
  private mismatches = 0;
  private firstMismatch: string | undefined;
  private checksum = 0;

  run(value: number): void {
    const k = ++this.blocks;
    if (value !== this.params.factor * k * k) {
      this.mismatches++;
      this.firstMismatch ??= `block ${k}: ${value}`;
    }
    this.checksum = addToChecksum(this.checksum, value);
  }

  teardown(): void {
    console.log(formatMarker({ blocks: this.blocks, mismatches: this.mismatches, firstMismatch: this.firstMismatch, checksum: this.checksum }));
  }
}
