import { median, round } from './stats.js';

/** CPU ns per block of each process of a run, and of all of them together (`total`). */
export type CpuPerBlock = Record<string, number>;

/**
 * CPU time per block, from each process's CPU time (ms) from its start to its end. On a CPU-bound
 * machine this is what throughput is made of, and it moves far less than throughput when the host
 * slows the VM down, so it shows what the runtime costs more steadily than the throughput ratio does.
 */
export function cpuPerBlock(cpuMs: Iterable<[string, number]>, blocks: number): CpuPerBlock {
  const out: CpuPerBlock = {};
  let total = 0;
  for (const [name, ms] of cpuMs) {
    out[name] = round((ms * 1e6) / blocks, 3);
    total += ms;
  }
  out.total = round((total * 1e6) / blocks, 3);
  return out;
}

/** The median of each process's figure over repeats. */
export function medianCpuPerBlock(runs: CpuPerBlock[]): CpuPerBlock {
  const out: CpuPerBlock = {};
  for (const name of Object.keys(runs[0] ?? {})) out[name] = round(median(runs.map((r) => r[name] ?? 0)), 3);
  return out;
}
