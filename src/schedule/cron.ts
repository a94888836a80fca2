/**
 * Cron expressions as plain 5-field cron (Vixie crontab(5)) read by croner: our own check first refuses
 * what croner accepts but plain cron does not (L, W, #, ?, seconds and year fields), so a schedule
 * stays portable. Day-of-month and day-of-week both restricted: a day matches if either does (OR).
 */
import { Cron } from 'croner';

const MACROS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const FIELDS = ['minute', 'hour', 'day-of-month', 'month', 'day-of-week'] as const;
const NAMES: Partial<Record<(typeof FIELDS)[number], string[]>> = { month: MONTHS, 'day-of-week': DAYS };

/** Why `expr` is not plain 5-field cron, or undefined when it is (croner then checks the ranges). */
export function cronProblem(expr: string): string | undefined {
  const text = expr.trim();
  if (text.startsWith('@')) {
    return MACROS.has(text.toLowerCase()) ? undefined : `'${text}' is not one of ${[...MACROS].join(', ')}`;
  }
  const fields = text.split(/\s+/);
  if (text === '' || fields.length !== 5) return `a cron expression has exactly 5 fields (minute hour day-of-month month day-of-week), '${expr}' has ${text === '' ? 0 : fields.length}`;
  for (const [i, field] of fields.entries()) {
    const name = FIELDS[i]!;
    for (const atom of field.split(',')) {
      if (!atomOk(atom, NAMES[name])) return `the ${name} field '${field}' is not plain cron (each part: *, a number, a range a-b, a step */n or a-b/n${NAMES[name] ? ', or a 3-letter name' : ''})`;
    }
  }
  return undefined;
}

function atomOk(atom: string, names: string[] | undefined): boolean {
  const [range, step, ...extra] = atom.split('/');
  if (extra.length > 0 || range === undefined) return false;
  if (step !== undefined && !/^\d+$/.test(step)) return false;
  if (range === '*') return true;
  const ends = range.split('-');
  if (ends.length > 2) return false;
  return ends.every((end) => /^\d+$/.test(end) || (names?.includes(end.toLowerCase()) ?? false));
}

/** A croner pattern that only computes times (it never runs anything itself). */
export function cronOf(expr: string, timezone: string): Cron {
  return new Cron(expr.trim(), { mode: '5-part', timezone, paused: true });
}

/** Why `zone` is not an IANA time zone this Node knows, or undefined. */
export function timezoneProblem(zone: string): string | undefined {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return undefined;
  } catch {
    return `'${zone}' is not an IANA time zone name`;
  }
}

/** The first fire strictly after `after` (ms) within [startsAt, endsAt), or undefined: none left. */
export function nextFire(cron: Cron, after: number, window: { startsAt?: number; endsAt?: number }): number | undefined {
  const from = window.startsAt !== undefined ? Math.max(after, window.startsAt - 1) : after;
  const next = cron.nextRun(new Date(from));
  if (next === null) return undefined;
  const at = next.getTime();
  return window.endsAt !== undefined && at >= window.endsAt ? undefined : at;
}
