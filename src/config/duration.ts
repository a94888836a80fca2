/**
 * Durations as in the job platforms: a bare number is seconds (`90`, `1.5`); a string joins units from
 * the largest down, each at most once: `7d`, `2h`, `1h30m`, `90s`, `500ms`. The result is whole
 * milliseconds; a finer value is refused, never rounded.
 */

export type DurationResult = { ok: true; ms: number } | { ok: false; reason: string };

const UNIT_MS = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1 } as const;
type Unit = keyof typeof UNIT_MS;
const ORDER: Unit[] = ['d', 'h', 'm', 's', 'ms'];
const PART = /(\d+(?:\.\d+)?)(ms|d|h|m|s)/y;
const BARE = /^\d+(?:\.\d+)?$/;
/** Far beyond any run (about 285 years) and still an exact integer. */
const MAX_MS = 2 ** 53 / 1000;

export function parseDuration(input: string | number): DurationResult {
  if (typeof input === 'number') {
    if (!Number.isFinite(input) || input < 0) return { ok: false, reason: 'a duration is a number of seconds >= 0' };
    return whole(input * 1000);
  }
  if (BARE.test(input)) return whole(Number(input) * 1000);
  let ms = 0;
  let last = -1;
  PART.lastIndex = 0;
  while (PART.lastIndex < input.length) {
    const at = PART.lastIndex;
    const m = PART.exec(input);
    if (m === null) return { ok: false, reason: `not a duration at '${input.slice(at)}' (units: d, h, m, s, ms)` };
    const unit = m[2] as Unit;
    const rank = ORDER.indexOf(unit);
    if (rank <= last) return { ok: false, reason: `units go from the largest down, each once (d, h, m, s, ms): '${unit}' comes too late` };
    last = rank;
    ms += Number(m[1]) * UNIT_MS[unit];
  }
  if (last < 0) return { ok: false, reason: 'an empty duration' };
  return whole(ms);
}

function whole(ms: number): DurationResult {
  // Fractions such as 0.1 s are not exact in binary: round away float noise, then refuse a real fraction.
  const rounded = Math.round(ms);
  if (Math.abs(ms - rounded) > 1e-6) return { ok: false, reason: 'a duration must be a whole number of milliseconds' };
  if (rounded > MAX_MS) return { ok: false, reason: 'a duration that long is not useful' };
  return { ok: true, ms: rounded };
}

/** 5400000 -> '1h30m', 1500 -> '1.5s', 250 -> '250ms': how messages show a duration. */
export function showDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  if (ms < 60_000) return `${ms / 1000}s`;
  let rest = ms;
  let out = '';
  for (const unit of ['d', 'h', 'm'] as const) {
    const n = Math.floor(rest / UNIT_MS[unit]);
    if (n > 0) out += `${n}${unit}`;
    rest -= n * UNIT_MS[unit];
  }
  if (rest > 0) out += `${rest / 1000}s`;
  return out;
}
