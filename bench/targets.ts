import type { ScenarioName, ScenarioResult } from './scenarios/types.js';

/**
 * The targets for this 2-core machine. The runner prints whether each is met; nothing
 * asserts them (CI runs `npm run bench -- --quick` for a smoke test, never as a timing gate).
 */
export interface Target {
  /** As printed in the table. */
  text: string;
  /** undefined when the result cannot say (no value). */
  met(r: ScenarioResult): boolean | undefined;
}

const num = (x: unknown): number | undefined => (typeof x === 'number' && Number.isFinite(x) ? x : undefined);
const all = (...checks: (boolean | undefined)[]): boolean | undefined => (checks.some((c) => c === undefined) ? undefined : checks.every(Boolean));
const atLeast = (x: unknown, min: number) => (num(x) === undefined ? undefined : num(x)! >= min);
const atMost = (x: unknown, max: number) => (num(x) === undefined ? undefined : num(x)! <= max);

/** Flat: the worst worker's RSS grows by less than this over the second half of the run. */
export const FLAT_SLOPE_MB_PER_MIN = 1;

export const TARGETS: Record<ScenarioName, Target | undefined> = {
  'small-chain': { text: '>= 1M/s and ratio >= 0.70', met: (r) => all(atLeast(r.value, 1_000_000), atLeast(r.ratio, 0.7)) },
  // "70% of the raw socket bandwidth": against the byte pump, not the framed ceiling
  'bytes-64k': { text: 'raw ratio >= 0.70', met: (r) => atLeast(r.rawRatio, 0.7) },
  'float32-frames': { text: '>= 1000 MB/s', met: (r) => atLeast(r.value, 1000) },
  'join-demo': undefined,
  'latency-hop': { text: 'p50 <= 50 us, p99 <= 500 us', met: (r) => all(atMost(r.value, 50), atMost(r.p99, 500)) },
  rss: {
    text: `<= 80 MB, slope < ${FLAT_SLOPE_MB_PER_MIN} MB/min`,
    met: (r) => all(atMost(r.value, 80), atMost(r.slopeMBPerMin, FLAT_SLOPE_MB_PER_MIN)),
  },
  startup: { text: 'first block <= 1000 ms', met: (r) => atMost(r.value, 1000) },
  'ssh-startup': { text: 'cold <= 2500 ms, warm <= 1500 ms', met: (r) => all(atMost(r.coldMs, 2500), atMost(r.value, 1500)) },
  'ssh-chain': { text: 'ratio >= 0.60', met: (r) => atLeast(r.ratio, 0.6) },
  'ui-overhead': {
    text: 'ratio >= 0.97 (the view costs at most 3 %)',
    met: (r) => atLeast(r.ratio, 0.97),
  },
  // as many replicas as cores (2 here) against one: >= 1.7x, i.e. 0.85 of linear scaling
  'replica-scaling': { text: 'replicas = cores: >= 0.85 of linear (>= 1.7x one on 2 cores)', met: (r) => atLeast(r.ratio, 0.85) },
  // detection: kill -9 of a worker, its node killed, its link cut; failover: a node killed to the first block of the replacement
  failover: {
    text: 'worker < 500 ms, node < 1000 ms, link < 3000 ms; failover <= 3000 ms, 0 blocks lost',
    met: (r) => all(atMost(r.workerMs, 499.999), atMost(r.nodeMs, 999.999), atMost(r.linkMs, 2999.999), atMost(r.failoverMs, 3000), atMost(r.blocksLost, 0)),
  },
};
