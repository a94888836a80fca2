import { ScriptJob } from 'marvelo';
import { makeBytesBlock, makeFloat32Frame } from '../lib/payloads.js';

export interface BlockSourceParams {
  /** 'bytes': 64 KiB Buffers; 'float32': Float32Array(1024) frames. */
  kind: 'bytes' | 'float32';
  /** How many blocks; omit (or 0) for an endless source. */
  blocks?: number;
}

/**
 * A flat-out source of large blocks: the same block every time, so the source allocates nothing. It
 * never changes the block after sending it, and says so (FRESH_OUTPUTS), as the ceiling's source needs
 * no saying: its blocks may wait in the socket while it goes on.
 */
export default class BlockSource extends ScriptJob<BlockSourceParams> {
  static override FRESH_OUTPUTS = true;
  *run() {
    const { kind, blocks = 0 } = this.params;
    const block = kind === 'bytes' ? makeBytesBlock() : makeFloat32Frame();
    const limit = blocks > 0 ? blocks : Infinity;
    for (let i = 0; i < limit; i++) yield block;
  }
}
