import { setImmediate as nextTurn } from 'node:timers/promises';
import { nowNs } from '../lib/clock.js';
import { pacedTicks } from '../lib/pacing.js';
import { makeBytesBlock, makeFloat32Frame } from '../lib/payloads.js';
import type { StageOptions } from './stage-options.js';
import type { StageOutput } from './stage-io.js';

/** Blocks a flat-out source encodes per event-loop turn before it lets I/O run (the runtime's is 512). */
const SOURCE_BATCH = 512;

/** Sends `blocks` values (0 = until stopped), flat out or paced, then END. */
export async function runSource(o: StageOptions, out: StageOutput): Promise<void> {
  const limit = o.blocks > 0 ? o.blocks : Infinity;
  let sqn = 0;
  if (o.rate > 0) {
    for await (const _ of pacedTicks(o.rate, limit)) {
      out.send(++sqn, nowNs());
      if (out.congested) await out.drained();
    }
  } else {
    const value = valueMaker(o);
    while (sqn < limit) {
      const stop = Math.min(limit, sqn + SOURCE_BATCH);
      while (sqn < stop) {
        sqn++;
        out.send(sqn, value(sqn));
        if (out.congested) break; // large blocks fill the write queue long before 512 of them
      }
      if (out.congested) await out.drained();
      else await nextTurn();
    }
  }
  await out.end(sqn);
}

/** The value of block `sqn`, as the bench jobs make it. */
function valueMaker(o: StageOptions): (sqn: number) => unknown {
  switch (o.payload) {
    case 'int':
      return (sqn) => o.start + (sqn - 1) * o.step;
    case 'bytes': {
      const block = makeBytesBlock();
      return () => block;
    }
    case 'float32': {
      const frame = makeFloat32Frame();
      return () => frame;
    }
    case 'time':
      return () => nowNs();
  }
}
