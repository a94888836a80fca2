import { cpuProbeMs } from '../lib/cpu-probe.js';
import { median, round } from '../lib/stats.js';

export interface PairedFigures {
  value: number;
  ceiling: number;
  /** Median of the per-repeat value/ceiling ratios. */
  ratio: number;
  values: number[];
  ceilings: number[];
  /** The raw-socket reference, when the scenario has one. */
  raw?: { value: number; ratio: number; values: number[] };
  /** The CPU probe's time before each repeat (ms): its spread shows how much the host's speed moved. */
  cpuProbeMs: number[];
}

type Measure = (i: number) => Promise<number>;

/**
 * Runs the runtime and its ceiling (and the raw reference, if any) `repeats` times, back to back and
 * in alternating order, so all see the same machine (on a shared VM the host's speed drifts), and
 * takes medians. Ratios are taken within each repeat, where the runs were closest in time.
 */
export async function pairedRepeats(
  repeats: number,
  measures: { runtime: Measure; ceiling: Measure; raw?: Measure | undefined },
  log: (m: string) => void,
  unit: string,
): Promise<PairedFigures> {
  const order = (['runtime', 'ceiling', 'raw'] as const).filter((k) => measures[k] !== undefined);
  const got = { runtime: [] as number[], ceiling: [] as number[], raw: [] as number[] };
  const probes: number[] = [];
  for (let i = 0; i < repeats; i++) {
    probes.push(round(cpuProbeMs(), 3));
    for (const k of i % 2 === 0 ? order : [...order].reverse()) got[k].push(await measures[k]!(i));
    const line = order.map((k) => `${k} ${round(got[k][i]!)} ${unit}`).join(', ');
    log(`  repeat ${i + 1}/${repeats}: ${line}, ratio ${(got.runtime[i]! / got.ceiling[i]!).toFixed(2)}`);
  }
  const ratioTo = (ref: number[]) => round(median(got.runtime.map((v, i) => v / ref[i]!)), 3);
  return {
    value: round(median(got.runtime)),
    ceiling: round(median(got.ceiling)),
    ratio: ratioTo(got.ceiling),
    values: got.runtime.map((v) => round(v)),
    ceilings: got.ceiling.map((v) => round(v)),
    ...(measures.raw ? { raw: { value: round(median(got.raw)), ratio: ratioTo(got.raw), values: got.raw.map((v) => round(v)) } } : {}),
    cpuProbeMs: probes,
  };
}

/**
 * One paired repeat of measurements that are not single numbers (latency, start-up): the runtime first
 * on even repeats, the ceiling first on odd ones, as pairedRepeats does.
 */
export async function pairedRun<T>(i: number, runtime: () => Promise<T>, ceiling: () => Promise<T>): Promise<{ runtime: T; ceiling: T }> {
  if (i % 2 === 0) {
    const r = await runtime();
    return { runtime: r, ceiling: await ceiling() };
  }
  const c = await ceiling();
  return { runtime: await runtime(), ceiling: c };
}
