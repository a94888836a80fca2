/**
 * A fixed piece of CPU work, timed. On a shared virtual machine the host can slow every vCPU down by
 * 2x for seconds at a time without reporting steal; the probe's spread across a scenario says how
 * much the host's speed moved while it was measured.
 */
export function cpuProbeMs(): number {
  const start = process.hrtime.bigint();
  let x = 0;
  for (let i = 0; i < 20_000_000; i++) x = (x * 31 + i) | 0;
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  return x === 0.5 ? -1 : ms; // use x so the loop is not optimised away
}
