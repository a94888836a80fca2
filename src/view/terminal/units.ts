/** Short figures for narrow columns: `812`, `9650`, `12.3k`, `4.1M`; `96M` of memory; `-` for unknown. */

export function compact(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return '-';
  if (n < 10) return n === Math.round(n) ? String(n) : n.toFixed(1);
  if (n < 10_000) return String(Math.round(n));
  if (n < 1e6) return `${(n / 1e3).toFixed(n < 1e5 ? 1 : 0)}k`;
  if (n < 1e9) return `${(n / 1e6).toFixed(n < 1e7 ? 1 : 0)}M`;
  return `${(n / 1e9).toFixed(1)}G`;
}

const MB = 1024 * 1024;

/** Bytes a second as MB/s with two figures at least: `0.02`, `3.4`, `118`. */
export function mbPerS(bytesPerS: number | undefined): string {
  if (bytesPerS === undefined) return '-';
  const v = bytesPerS / MB;
  return v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : String(Math.round(v));
}

/** A byte count in 5 characters or fewer: `812B`, `40K`, `96M`, `1.2G`. */
export function memory(bytes: number): string {
  if (bytes <= 0) return '-';
  if (bytes < 1024) return `${bytes}B`;
  if (bytes < MB) return `${Math.round(bytes / 1024)}K`;
  if (bytes < 1024 * MB) return `${Math.round(bytes / MB)}M`;
  return `${(bytes / (1024 * MB)).toFixed(1)}G`;
}

/** A fraction as a percentage: `0%`, `85%`. */
export function percent(f: number | undefined): string {
  return f === undefined ? '-' : `${Math.round(f * 100)}%`;
}

/** `text` cut to `width` characters, its end replaced by `…` when it was longer. */
export function fit(text: string, width: number): string {
  if (width <= 0) return '';
  return text.length <= width ? text : width === 1 ? '…' : text.slice(0, width - 1) + '…';
}

/** A name cut to `width` in its middle (`job-with-a…-number-12`): names that differ at their end stay apart. */
export function fitName(name: string, width: number): string {
  if (name.length <= width) return name;
  if (width < 5) return fit(name, width);
  const tail = Math.floor((width - 1) / 2);
  return name.slice(0, width - 1 - tail) + '…' + name.slice(name.length - tail);
}
