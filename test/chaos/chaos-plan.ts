/** What a chaos run does, from its seed: which worker it kills, and when. */
import { seededRandom } from '../helpers/seeded-random.js';

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
  const rand = seededRandom(seed);
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

