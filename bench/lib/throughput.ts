import { payloadBytes } from './payloads.js';

/** A sink's result (timed-sink.ts, the ceiling's sink): count and shared-clock times. */
export interface SinkWindow {
  count: number;
  warmup: number;
  firstNs: number;
  warmNs: number;
  lastNs: number;
  /** The block lastNs was taken at (the sinks read the clock every 256 blocks); count when absent. */
  lastCount?: number;
}

export function asSinkWindow(m: Record<string, unknown>, expectedCount: number, who: string): SinkWindow {
  const w = m as unknown as SinkWindow;
  if (typeof w.count !== 'number' || typeof w.lastNs !== 'number') throw new Error(`${who}: not a sink result: ${JSON.stringify(m)}`);
  if (w.count !== expectedCount) throw new Error(`${who}: the sink received ${w.count} blocks, expected ${expectedCount}`);
  if (w.lastNs <= w.warmNs) throw new Error(`${who}: the measured window is empty (warm-up ${w.warmup} of ${w.count} blocks)`);
  return w;
}

/** Blocks per second over the measured window (after the warm-up block, through the last one). */
export function blocksPerSecond(w: SinkWindow): number {
  return ((w.lastCount ?? w.count) - Math.max(1, w.warmup)) / ((w.lastNs - w.warmNs) / 1e9);
}

/** MB/s (10^6 bytes) of payload over the measured window. */
export function megabytesPerSecond(w: SinkWindow, kind: 'bytes' | 'float32'): number {
  return (blocksPerSecond(w) * payloadBytes(kind)) / 1e6;
}
