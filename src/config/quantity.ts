/**
 * Kubernetes quantities ("500m", "2", 1.5, "512Mi", "1G", "129e6") -> whole millicores or bytes, in
 * exact integer arithmetic: a value that is not a whole millicore or byte is refused, never rounded.
 */

export type QuantityResult = { ok: true; value: number } | { ok: false; reason: string };

const GRAMMAR = /^\+?(\d+(?:\.\d*)?|\.\d+)(?:(Ki|Mi|Gi|Ti|Pi|Ei)|[eE]([+-]?\d+)|([numkMGTPE]))?$/;
const BINARY: Record<string, bigint> = { Ki: 1n << 10n, Mi: 1n << 20n, Gi: 1n << 30n, Ti: 1n << 40n, Pi: 1n << 50n, Ei: 1n << 60n };
const DECIMAL_EXPONENT: Record<string, number> = { n: -9, u: -6, m: -3, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const MAX_LENGTH = 64;
const MAX_EXPONENT = 64;

/** CPUs in millicores: "500m" = 0.5 = 500; finer than 1m is refused. */
export function parseCpu(input: string | number): QuantityResult {
  return toWhole(input, 3, 'CPU cannot be finer than 1m (a thousandth of a CPU)');
}

/** Memory in bytes: "512Mi", "1G", plain bytes; a fraction of a byte is refused. */
export function parseBytes(input: string | number): QuantityResult {
  return toWhole(input, 0, 'memory must be a whole number of bytes');
}

/** The value scaled by 10^scale, which must be a whole number within Number's exact integers. */
function toWhole(input: string | number, scale: number, fractionReason: string): QuantityResult {
  const text = typeof input === 'number' ? String(input) : input;
  if (text.length === 0 || text.length > MAX_LENGTH) return { ok: false, reason: 'not a quantity' };
  if (text.startsWith('-')) return { ok: false, reason: 'a quantity cannot be negative' };
  const m = GRAMMAR.exec(text);
  if (m === null) return { ok: false, reason: 'not a quantity' };
  const [, number, binary, exponent, decimal] = m;
  const [whole = '', fraction = ''] = number!.split('.');
  // value = digits * 10^(power) * factor
  let digits = BigInt(whole + fraction || '0');
  let power = scale - fraction.length;
  let factor = 1n;
  if (binary !== undefined) factor = BINARY[binary]!;
  if (decimal !== undefined) power += DECIMAL_EXPONENT[decimal]!;
  if (exponent !== undefined) {
    const e = Number(exponent);
    if (Math.abs(e) > MAX_EXPONENT) return { ok: false, reason: 'the exponent is too large' };
    power += e;
  }
  digits *= factor;
  if (power >= 0) {
    digits *= 10n ** BigInt(power);
  } else {
    const divisor = 10n ** BigInt(-power);
    if (digits % divisor !== 0n) return { ok: false, reason: fractionReason };
    digits /= divisor;
  }
  if (digits > BigInt(Number.MAX_SAFE_INTEGER)) return { ok: false, reason: 'too large (the limit is 2^53 - 1)' };
  return { ok: true, value: Number(digits) };
}

/** Millicores as a quantity: 2000 -> "2", 500 -> "500m". */
export function formatCpu(millis: number): string {
  return millis % 1000 === 0 ? String(millis / 1000) : `${millis}m`;
}

/** Bytes as a quantity, in the largest unit that divides them: 2147483648 -> "2Gi", 1000000 -> "1M". */
export function formatBytes(bytes: number): string {
  if (bytes === 0) return '0';
  for (const [suffix, size] of [['Ei', 2 ** 60], ['Pi', 2 ** 50], ['Ti', 2 ** 40], ['Gi', 2 ** 30], ['Mi', 2 ** 20], ['Ki', 2 ** 10]] as const) {
    if (bytes % size === 0) return `${bytes / size}${suffix}`;
  }
  for (const [suffix, size] of [['T', 1e12], ['G', 1e9], ['M', 1e6], ['k', 1e3]] as const) {
    if (bytes % size === 0) return `${bytes / size}${suffix}`;
  }
  return String(bytes);
}
