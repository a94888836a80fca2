import { randomBytes } from 'node:crypto';

/**
 * A run id: its UTC start time to the millisecond, then 6 random hex digits, e.g.
 * `20261204-133512-087-3f9a1c`. Ids sort by start time (as text), so the latest run is the last one;
 * the milliseconds keep runs started within one second in order. Digits, a-f and '-' only: safe in file
 * names, socket paths and shell words.
 */
export function newRunId(now: Date = new Date()): string {
  const t = now.toISOString(); // 2026-12-04T13:35:12.087Z
  const stamp = `${t.slice(0, 4)}${t.slice(5, 7)}${t.slice(8, 10)}-${t.slice(11, 13)}${t.slice(14, 16)}${t.slice(17, 19)}-${t.slice(20, 23)}`;
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

export const RUN_ID_PATTERN = /^\d{8}-\d{6}-\d{3}-[0-9a-f]{6}$/;

export function isRunId(s: string): boolean {
  return RUN_ID_PATTERN.test(s);
}
