/**
 * `replicas: N` expanded into the jobs that run it. A connector X becomes
 *
 *   producers -> X#split -> X#0 .. X#N-1 -> X#merge -> consumers
 *
 * The splitter assembles X's rounds (sync rules, dummies, resets, optional inputs: all applied once,
 * there) and hands round r whole to one replica, round-robin; the merger emits the replicas' results in
 * round order, so downstream sees the stream one worker of X would have made. A source has no
 * splitter (its replicas partition their work by this.replica) and a sink no merger.
 *
 * The internal pipes are named after the pipe and the replica at their end: input `p` of X reaches
 * replica X#i as `p@X#i`, its output `q` leaves it as `q@X#i`. `#` and `@` never appear in a name of
 * the network file, so these cannot collide with a user's jobs or pipes.
 */
import type { Bundle } from '../launch/bundle.js';
import type { JobSpec, Network, PipeSpec, ReplicaRole } from './types.js';

export interface ReplicaExpansion {
  jobs: JobSpec[];
  pipes: Record<string, PipeSpec>;
}

export const replicaName = (job: string, index: number): string => `${job}#${index}`;
export const splitterName = (job: string): string => `${job}#split`;
export const mergerName = (job: string): string => `${job}#merge`;
export const replicaPipe = (pipe: string, replica: string): string => `${pipe}@${replica}`;

/**
 * The network's jobs and pipes with every job of `replicas` > 1 expanded; `order` by job name (the
 * network file's `order:`, default sqn). Bundles follow: each replica runs its job's bundle, each
 * internal pipe its pipe's codec bundle.
 */
export function expandReplicas(
  network: Pick<Network, 'jobs' | 'pipes'>,
  orderOf: (job: string) => 'sqn' | 'any',
  bundles: Map<string, Bundle>,
  codecBundles: Map<string, Bundle>,
): ReplicaExpansion {
  const jobs: JobSpec[] = [];
  const pipes: Record<string, PipeSpec> = { ...network.pipes };
  for (const job of network.jobs) {
    const count = job.replicas ?? 1;
    if (count <= 1) {
      jobs.push(job);
      continue;
    }
    const shape = job.inputs.length === 0 ? 'source' : job.outputs.length === 0 ? 'sink' : 'connector';
    const role = (index: number): ReplicaRole => ({ of: job.name, index, count, order: orderOf(job.name), shape });
    const internal = (from: PipeSpec, name: string, producer: string, consumer: string, blockCount: number): PipeSpec => {
      const codecBundle = codecBundles.get(from.name);
      if (codecBundle !== undefined) codecBundles.set(name, codecBundle);
      // Lossless and synchronous: every block of a round reaches its replica, and every result the merger.
      return {
        ...from,
        name,
        blockCount,
        optional: undefined,
        maxQueue: Math.max(job.maxQueue, 2 * blockCount),
        drop: 'block',
        transport: undefined,
        headSize: job.headSize,
        producer,
        consumer,
      };
    };

    const split = splitterName(job.name);
    const merge = mergerName(job.name);
    const replicaInputs = (i: number) => job.inputs.map((p) => replicaPipe(p, replicaName(job.name, i)));
    const replicaOutputs = (i: number) => job.outputs.map((q) => (shape === 'sink' ? q : replicaPipe(q, replicaName(job.name, i))));

    if (shape !== 'source') {
      jobs.push(helperJob(job, split, 'split', job.inputs, range(count).flatMap(replicaInputs), role(-1)));
      for (const p of job.inputs) {
        const pipe = pipes[p]!;
        pipes[p] = { ...pipe, consumer: split };
        // An optional input is read by the splitter once per round, and reaches the replica with it.
        const blockCount = pipe.optional === undefined ? pipe.blockCount : 1;
        for (const i of range(count)) {
          const name = replicaName(job.name, i);
          pipes[replicaPipe(p, name)] = internal(pipe, replicaPipe(p, name), split, name, blockCount);
        }
      }
    }
    const bundle = bundles.get(job.name);
    for (const i of range(count)) {
      const name = replicaName(job.name, i);
      if (bundle !== undefined) bundles.set(name, bundle);
      jobs.push({
        ...job,
        name,
        inputs: replicaInputs(i),
        outputs: replicaOutputs(i),
        env: { ...job.env, MARVELO_REPLICA_INDEX: String(i), MARVELO_REPLICA_COUNT: String(count) },
        replica: role(i),
      });
    }
    if (shape !== 'sink') {
      jobs.push(helperJob(job, merge, 'merge', range(count).flatMap(replicaOutputs), job.outputs, role(-1)));
      for (const q of job.outputs) {
        const pipe = pipes[q]!;
        pipes[q] = { ...pipe, producer: merge };
        for (const i of range(count)) {
          const name = replicaName(job.name, i);
          pipes[replicaPipe(q, name)] = internal(pipe, replicaPipe(q, name), name, merge, 1);
        }
      }
    }
  }
  // A pipe survives a new worker at either end (resolvePipes): its ends may be a splitter or merger now.
  const policy = new Map(jobs.map((j) => [j.name, j.onFailure]));
  for (const pipe of Object.values(pipes)) {
    pipe.restartable = policy.get(pipe.producer) === 'restart' || policy.get(pipe.consumer) === 'restart';
  }
  return { jobs, pipes };
}

/** The splitter or merger: no code of its own to ship, no resources, placed like the job; never restarted. */
function helperJob(job: JobSpec, name: string, kind: 'split' | 'merge', inputs: string[], outputs: string[], replica: ReplicaRole): JobSpec {
  return {
    name,
    kind,
    module: undefined,
    builtin: undefined,
    executable: undefined,
    params: {},
    inputs,
    outputs,
    groups: job.groups,
    defaultNode: undefined,
    head: true,
    headSize: job.headSize,
    maxQueue: job.maxQueue,
    dependencies: [],
    env: {},
    logging: false,
    where: job.where,
    resources: {},
    onFailure: 'stop',
    maxRetries: 0,
    retryBackoffMs: job.retryBackoffMs,
    stateless: true,
    seekable: false,
    replica,
  };
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
