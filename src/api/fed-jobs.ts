import type { Network } from '../config/types.js';

/** The jobs the client feeds (ScriptJob.clientFeed()), by role. */
export interface FedJobs {
  /** builtin:console jobs: every line typed or sent with `marvelo console`. */
  consoles: string[];
  /** builtin:logging and builtin:logging-sink jobs: every resource sample. */
  sampleReaders: string[];
  /**
   * The fed jobs and the jobs that only they feed through pipes: these end once the rest of the network
   * is done (the supervisor then ends their feeds), so a fed job never keeps a finished run alive.
   */
  endWithRun: Set<string>;
}

export function fedJobs(network: Network): FedJobs {
  const of = (...names: string[]) => network.jobs.filter((j) => j.builtin !== undefined && names.includes(j.builtin)).map((j) => j.name);
  const consoles = of('console');
  const sampleReaders = of('logging', 'logging-sink');
  const endWithRun = new Set([...consoles, ...sampleReaders]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const job of network.jobs) {
      if (endWithRun.has(job.name) || job.inputs.length === 0) continue;
      if (job.inputs.every((pipe) => endWithRun.has(network.pipes[pipe]!.producer))) {
        endWithRun.add(job.name);
        grew = true;
      }
    }
  }
  return { consoles, sampleReaders, endWithRun };
}
