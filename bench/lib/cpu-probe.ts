/**
 * A fixed piece of CPU work, timed. Its spread across a scenario says how much the machine's speed
 * moved while it was measured (other load, or a host that slows a shared VM down).
 */
export function cpuProbeMs(): number {
  if (!warmedUp) {
    // The loop's first two runs in a process execute V8's on-stack-replaced code, about 5x slower than
    // the optimised function that runs from the third on (122, 120, 25, 25, 26 ms here): timed cold, the
    // probe measured V8's tiers, not the machine.
    for (let i = 0; i < 3; i++) spin();
    warmedUp = true;
  }
  const start = process.hrtime.bigint();
  const x = spin();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  return x === 0.5 ? -1 : ms; // use x so the loop is not optimised away
}

let warmedUp = false;

function spin(): number {
  let x = 0;
  for (let i = 0; i < 20_000_000; i++) x = (x * 31 + i) | 0;
  return x;
}
