/**
 * The raw-socket reference for large blocks: the same bytes through the same process shape with no
 * per-block work at all. The source writes one ready-made DATA frame again and again (the kernel
 * copies it, JavaScript does not), a forward passes chunks through untouched, the sink only counts
 * bytes. This is what the machine's Unix sockets can move; the runtime's figure over this is the
 * share of the raw socket bandwidth it reaches.
 *
 * With payload 'time' it is Node's latency floor instead: the source sends its clock (8 bytes, u64 BE)
 * on the paced schedule, the forwards pass bytes through, the sink records (now - sent) / hops.
 */
import { once } from 'node:events';
import net from 'node:net';
import { nowNs } from '../lib/clock.js';
import { pacedTicks } from '../lib/pacing.js';
import { makeBytesBlock, makeFloat32Frame } from '../lib/payloads.js';
import { summarizeLatencies } from '../lib/stats.js';
import { parseStageAddress, socketTarget, tuneSocket } from './stage-address.js';
import type { StageOptions } from './stage-options.js';

const WRITE_HIGH_WATER = 1 << 20;
/** u32 length | u8 kind | u64 SQN | u8 head */
const FRAME_OVERHEAD = 14;

function frameOf(o: StageOptions): Buffer {
  const payload = o.payload === 'bytes' ? makeBytesBlock() : Buffer.from(makeFloat32Frame().buffer);
  const frame = Buffer.alloc(FRAME_OVERHEAD + payload.length);
  frame.writeUInt32BE(frame.length - 4, 0);
  frame[4] = 1; // DATA
  payload.copy(frame, FRAME_OVERHEAD);
  return frame;
}

export function pumpFrameSize(o: StageOptions): number {
  return FRAME_OVERHEAD + (o.payload === 'bytes' ? makeBytesBlock().length : makeFloat32Frame().byteLength);
}

export async function runPumpSource(o: StageOptions, out: net.Socket): Promise<void> {
  if (o.payload === 'time') {
    for await (const _ of pacedTicks(o.rate, o.blocks)) {
      const stamp = Buffer.allocUnsafe(8);
      stamp.writeBigUInt64BE(BigInt(nowNs()));
      out.write(stamp);
    }
    await new Promise<void>((resolve) => out.end(resolve));
    return;
  }
  const frame = frameOf(o);
  const limit = o.blocks > 0 ? o.blocks : Infinity;
  for (let i = 0; i < limit; i++) {
    out.write(frame);
    if (out.writableLength > WRITE_HIGH_WATER) await once(out, 'drain');
  }
  await new Promise<void>((resolve) => out.end(resolve));
}

export function pumpForward(input: net.Socket, out: net.Socket, done: () => void): void {
  input.pipe(out);
  out.on('finish', done);
}

/** The raw sink's one read buffer: the kernel writes every read into it. */
const SINK_READ_BYTES = 256 * 1024;

/**
 * Dials `path` and counts bytes, read into one reused buffer (as a minimal program would); reports the
 * window like the sinks do (count in whole frames).
 */
export function pumpSink(o: StageOptions, path: string, report: (result: object) => void): net.Socket {
  if (o.payload === 'time') return latencySink(o, path, report);
  const frameSize = pumpFrameSize(o);
  const warmBytes = Math.max(1, o.warmup) * frameSize;
  let bytes = 0;
  let firstNs = 0;
  let warmNs = 0;
  let lastNs = 0;
  return dialReading(path, (nread, _buf, t) => {
    if (bytes === 0) firstNs = t;
    bytes += nread;
    if (warmNs === 0 && bytes >= warmBytes) warmNs = t;
    lastNs = t;
  }, () => report({ count: Math.floor(bytes / frameSize), warmup: o.warmup, firstNs, warmNs: warmNs || firstNs, lastNs }));
}

/** Dials `address` and reads every chunk into one reused buffer; `read` gets it with the time it arrived. */
function dialReading(address: string, read: (nread: number, buf: Uint8Array, nowNs: number) => void, end: () => void): net.Socket {
  const target = parseStageAddress(address);
  const input = net.connect({
    ...socketTarget(target),
    onread: {
      buffer: Buffer.allocUnsafe(SINK_READ_BYTES),
      callback: (nread: number, buf: Uint8Array) => {
        read(nread, buf, nowNs());
        return true;
      },
    },
  });
  tuneSocket(target, input);
  input.on('end', end);
  return input;
}

/** The latency floor's sink: 8-byte clock stamps, possibly split across reads. */
function latencySink(o: StageOptions, path: string, report: (result: object) => void): net.Socket {
  const samples: number[] = [];
  const pending = Buffer.alloc(8);
  let fill = 0;
  let seen = 0;
  return dialReading(path, (nread, buf, now) => {
    for (let i = 0; i < nread; i++) {
      pending[fill++] = buf[i]!;
      if (fill < 8) continue;
      fill = 0;
      if (++seen > o.warmup) samples.push((now - Number(pending.readBigUInt64BE(0))) / o.hops / 1e3);
    }
  }, () => report({ latencyUs: summarizeLatencies(samples), hops: o.hops }));
}
