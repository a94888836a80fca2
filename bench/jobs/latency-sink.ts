import { ScriptJob } from 'marvelo';
import { nowNs } from '../lib/clock.js';
import { formatMarker } from '../lib/markers.js';
import { summarizeLatencies } from '../lib/stats.js';

export interface LatencySinkParams {
  /** Hops between the source and this sink (jobs in the chain - 1). */
  hops: number;
  /** Leading blocks left out of the figures (JIT warm-up). */
  warmup?: number;
}

/**
 * Receives the source's send time (shared clock, ns) and records (now - sent) / hops per block, in
 * microseconds. Prints p50, p99, max in teardown().
 */
export default class LatencySink extends ScriptJob<LatencySinkParams> {
  private samples: number[] = [];
  private seen = 0;

  run(sentNs: number): void {
    const perHopUs = (nowNs() - sentNs) / this.params.hops / 1e3;
    if (++this.seen > (this.params.warmup ?? 0)) this.samples.push(perHopUs);
  }

  teardown(): void {
    console.log(formatMarker({ latencyUs: summarizeLatencies(this.samples), hops: this.params.hops }));
  }
}
