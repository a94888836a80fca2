import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { PipeSpec } from '../../src/config/types.js';
import { MarveloError } from '../../src/errors.js';
import { createCodec } from '../../src/wire/codecs.js';
import { FrameKind, MAX_FRAME } from '../../src/wire/types.js';
import { InputPort } from '../../src/worker/input-port.js';
import { dataBody, frameBytes } from '../wire/frame-helpers.js';
import { chunkSizes, frameStarts, MUTATIONS, mutate, referenceReading, rng, splitAt, type Rng } from '../wire/fuzz-helpers.js';
import { Cleanup, once } from '../wire/socket-helpers.js';
import { testPipeSpec } from '../helpers/specs.js';

/** Seeds are BASE_SEED + case number; a failure names its seed. */
const BASE_SEED = 0x1b0_0000;
const CASES = 120;

let cleanup = new Cleanup();
afterEach(async () => {
  await cleanup.close();
  cleanup = new Cleanup();
});

function pipeSpec(headSize: number): PipeSpec {
  return testPipeSpec({ dummy: 'prev', headSize });
}

/** A producer's stream after the handshake: DATA blocks of small msgpack values, PADs, then END. */
function producerStream(r: Rng, headSize: number): Buffer {
  const codec = createCodec({ kind: 'msgpack' });
  const parts: Buffer[] = [];
  const count = r.int(0, 30);
  for (let sqn = 1; sqn <= count; sqn++) {
    if (r.next() < 0.1) parts.push(frameBytes(FrameKind.PAD, Buffer.alloc(r.int(0, 7))));
    const value = r.pick([sqn, -sqn * 1000, `v${sqn}`, [sqn, 'x', null], { sqn, ok: true }, 2 ** 40 + sqn]);
    parts.push(frameBytes(FrameKind.DATA, dataBody(sqn, r.int(0, 2 ** (8 * headSize) - 1), headSize, Buffer.from(codec.encode(value)))));
  }
  const end = Buffer.alloc(8);
  end.writeUInt32BE(count, 4);
  parts.push(frameBytes(FrameKind.END, end));
  return Buffer.concat(parts);
}

interface Seen {
  blocks: { sqn: number; head: number; value: unknown }[];
  ended: boolean;
  failure: string | undefined;
}

/** What InputPort must make of `bytes` (its documented frame handling, applied to the reference reading). */
function expected(bytes: Buffer, headSize: number): Seen {
  const codec = createCodec({ kind: 'msgpack' }, undefined, { pipe: 'p' });
  const reading = referenceReading(bytes, MAX_FRAME);
  const seen: Seen = { blocks: [], ended: false, failure: undefined };
  for (const f of reading.frames) {
    if (f.kind === FrameKind.DATA) {
      if (f.body.length < 8 + headSize) return { ...seen, failure: 'MRV_WIRE_FRAME' };
      try {
        const value = codec.decode(f.body, 8 + headSize, f.body.length);
        seen.blocks.push({ sqn: Number(f.body.readBigUInt64BE(0)), head: f.body.readUIntBE(8, headSize), value });
      } catch (e) {
        return { ...seen, failure: (e as MarveloError).code };
      }
    } else if (f.kind === FrameKind.END) {
      seen.ended = true;
    } else if (f.kind === FrameKind.ERROR) {
      return seen; // the producer failed: the port leaves the report to the run
    } else if (f.kind !== FrameKind.PAD) {
      return { ...seen, failure: 'MRV_WIRE_FRAME' };
    }
  }
  if (reading.end === 'refused') return { ...seen, failure: 'MRV_WIRE_FRAME' };
  return seen.ended ? seen : { ...seen, failure: 'MRV_WIRE_CONNECT' };
}

describe('frame fuzzing: a consumer port on a real socket', () => {
  it(`${CASES} seeded mutated producer streams end in exactly the blocks the reference reads, then END or a coded failure`, async () => {
    const streams: Buffer[] = [];
    const listener = await cleanup.listen('unix', (socket) => {
      const bytes = streams[streams.length - 1]!;
      socket.on('error', () => {});
      // the consumer's first CREDIT says it is reading
      socket.once('data', () => {
        void (async () => {
          for (const chunk of splitAt(bytes, chunkSizes(rng(bytes.length), bytes.length))) {
            if (socket.destroyed) return;
            socket.write(chunk);
            await new Promise((r) => setImmediate(r));
          }
          socket.end();
        })();
      });
    });
    const path = (listener.address as { path: string }).path;
    for (let i = 0; i < CASES; i++) {
      const seed = BASE_SEED + i;
      const r = rng(seed);
      const headSize = r.int(1, 4);
      const valid = producerStream(r, headSize);
      let bytes = valid;
      const how: string[] = [];
      if (r.next() < 0.9) {
        for (let k = r.int(1, 2); k > 0; k--) {
          const m = r.pick(MUTATIONS);
          how.push(m);
          bytes = mutate(r, bytes, frameStarts(referenceReading(valid, MAX_FRAME).frames), m);
        }
      }
      streams.push(bytes);
      const seen: Seen = { blocks: [], ended: false, failure: undefined };
      let failed: () => void = () => {};
      const failure = new Promise<void>((resolve) => (failed = resolve));
      const spec = pipeSpec(headSize);
      const port = new InputPort(spec, createCodec(spec.codec, undefined, { pipe: 'p' }), {
        block: (sqn, head, value) => seen.blocks.push({ sqn, head, value }),
        arrived: () => {},
        end: () => (seen.ended = true),
        queued: () => 0,
      }, (err) => {
        expect(err).toBeInstanceOf(MarveloError);
        seen.failure ??= err.code;
        failed();
      });
      const socket = cleanup.socket(net.connect({ path, onread: port.reader.onread }));
      socket.on('error', () => {});
      await once(socket, 'connect');
      port.attach(socket);
      // a failed port stops reading (its worker exits); else the stream ends and the socket closes
      await Promise.race([once(socket, 'close'), failure]);
      const where = `seed ${seed} (${how.join('+') || 'none'}, head ${headSize}, ${bytes.length} bytes)`;
      const want = expected(bytes, headSize);
      expect(seen.failure, where).toBe(want.failure);
      expect(seen.blocks, where).toEqual(want.blocks);
      if (want.failure === undefined) expect(seen.ended, where).toBe(want.ended);
    }
  });
});
