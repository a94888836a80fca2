/** What a chaos run does, from its seed: which worker it kills, and when. */

export const CHAOS_JOBS = ['count1', 'count2', 'count3', 'join', 'sink'] as const;
/** Values per counter in test/fixtures/run/chaos-join.yaml. */
export const CHAOS_BLOCKS = 100;
/** Share of the runs that kill a worker while the network loads. */
const LOAD_SHARE = 0.15;

export interface ChaosPlan {
  seed: number;
  /** 'load': a worker started while the client loads the network, before it has a job. */
  when: 'load' | 'stream';
  /** The job killed ('stream'); with 'load', which job the worker would have run is not known. */
  victim: (typeof CHAOS_JOBS)[number] | undefined;
  /** 'load': kill the worker that is n-th (1-based, by pid) in the process table. */
  boot: number;
  /** 'stream': kill after the sink printed this many lines; 0 = as soon as every worker has started. */
  afterLines: number;
}

export function chaosPlan(seed: number): ChaosPlan {
  const rand = mulberry32(seed);
  const when = rand() < LOAD_SHARE ? 'load' : 'stream';
  const job = Math.floor(rand() * CHAOS_JOBS.length);
  const afterLines = Math.floor(rand() * (CHAOS_BLOCKS + 1));
  return when === 'load'
    ? { seed, when, victim: undefined, boot: job + 1, afterLines: 0 }
    : { seed, when, victim: CHAOS_JOBS[job], boot: 0, afterLines };
}

export function describePlan(p: ChaosPlan): string {
  return p.when === 'load' ? `seed ${p.seed} (kill worker ${p.boot} while loading)` : `seed ${p.seed} (kill ${p.victim} after ${p.afterLines} sink lines)`;
}

/** A small seeded PRNG (mulberry32): the same seed gives the same plan on every machine. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
