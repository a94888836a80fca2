/** `schedule:` of the network file -> ScheduleSpec; every bad value a located MRV_CONFIG_SCHEDULE error. */
import { MarveloError } from '../errors.js';
import { parseDuration } from '../config/duration.js';
import type { RawSchedule } from '../config/raw.js';
import type { YamlSource } from '../config/source.js';
import { cronOf, cronProblem, timezoneProblem } from './cron.js';
import type { ScheduleSpec } from './spec.js';

const CRON_HINT = '5 fields: minute (0-59) hour (0-23) day-of-month (1-31) month (1-12 or jan-dec) day-of-week (0-7 or sun-sat), e.g. "20 16 * * 1-5"; or @hourly, @daily, @weekly, @monthly, @yearly';
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

export function resolveSchedule(raw: RawSchedule | undefined, src: YamlSource, errors: MarveloError[]): ScheduleSpec | undefined {
  if (raw === undefined) return undefined;
  const at = (key: keyof RawSchedule) => src.valueAt(['schedule', key]);
  const fail = (key: keyof RawSchedule, message: string, hint: string) => {
    errors.push(new MarveloError('MRV_CONFIG_SCHEDULE', message, { where: at(key), hint }));
  };
  const timezone = raw.timezone ?? 'UTC';
  const zoneProblem = timezoneProblem(timezone);
  if (zoneProblem !== undefined) fail('timezone', `schedule timezone: ${zoneProblem}`, 'an IANA name such as UTC, Europe/Berlin or America/New_York');
  // A bad zone is its own error: the expression is still checked (in UTC).
  const problem = cronProblem(raw.cron) ?? croner(raw.cron, zoneProblem === undefined ? timezone : 'UTC');
  if (problem !== undefined) fail('cron', `schedule cron "${raw.cron}": ${problem}`, CRON_HINT);

  const instant = (key: 'starts' | 'ends'): number | undefined => {
    const value = raw[key];
    if (value === undefined) return undefined;
    const ms = INSTANT.test(value) ? Date.parse(value) : Number.NaN;
    if (Number.isNaN(ms)) fail(key, `schedule ${key} "${value}" is not a date and time with its offset`, 'ISO 8601 with Z or an offset, e.g. 2026-01-01T09:00:00Z or 2026-01-01T09:00:00+01:00');
    return Number.isNaN(ms) ? undefined : ms;
  };
  const startsAt = instant('starts');
  const endsAt = instant('ends');
  if (startsAt !== undefined && endsAt !== undefined && endsAt <= startsAt) fail('ends', 'schedule ends is not after starts: nothing would ever fire', 'ends is exclusive: give a later time, or leave ends out for none');

  let startingDeadlineMs: number | undefined;
  if (raw.starting_deadline !== undefined) {
    const parsed = parseDuration(raw.starting_deadline);
    const reason = !parsed.ok ? parsed.reason : parsed.ms === 0 ? 'a deadline of 0 would miss every fire' : undefined;
    if (reason !== undefined) fail('starting_deadline', `schedule starting_deadline ${JSON.stringify(raw.starting_deadline)} is refused: ${reason}`, 'a duration, e.g. 90s, 5m, 1h; leave it out to start a late fire however late');
    else if (parsed.ok) startingDeadlineMs = parsed.ms;
  }
  return {
    cron: raw.cron.trim(),
    timezone,
    ...(startsAt === undefined ? {} : { startsAt }),
    ...(endsAt === undefined ? {} : { endsAt }),
    concurrency: raw.concurrency ?? 'forbid',
    ...(startingDeadlineMs === undefined ? {} : { startingDeadlineMs }),
  };
}

function croner(expr: string, timezone: string): string | undefined {
  try {
    cronOf(expr, timezone);
    return undefined;
  } catch (e) {
    return (e instanceof Error ? e.message : String(e)).replace(/^CronPattern: /, '');
  }
}
