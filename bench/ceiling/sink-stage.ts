import { nowNs } from '../lib/clock.js';
import { SinkWindowClock } from '../lib/sink-window.js';
import { summarizeLatencies } from '../lib/stats.js';
import type { StageOptions } from './stage-options.js';

export interface Sink {
  onValue(value: unknown): void;
  /** The measurement, as the bench jobs report it (timed-sink.ts, latency-sink.ts). */
  result(): object;
}

/** Counts and times blocks (throughput) or records per-hop latency (payload 'time'). */
export function createSink(o: StageOptions): Sink {
  if (o.payload === 'time') {
    const samples: number[] = [];
    let seen = 0;
    return {
      onValue(sentNs) {
        const perHopUs = (nowNs() - (sentNs as number)) / o.hops / 1e3;
        if (++seen > o.warmup) samples.push(perHopUs);
      },
      result: () => ({ latencyUs: summarizeLatencies(samples), hops: o.hops }),
    };
  }
  const clock = new SinkWindowClock(o.warmup);
  return {
    onValue: () => clock.onBlock(),
    result: () => clock.result(),
  };
}
