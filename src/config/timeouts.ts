/** `timeout:` of the network and of a job -> milliseconds, each bad value a located error. */
import { MarveloError, type SourceLocation } from '../errors.js';
import { parseDuration } from './duration.js';

const EXPECTS = 'a duration: a number of seconds (90) or units from the largest down, e.g. 90s, 30m, 1h30m, 7d, 500ms';

/** Milliseconds, or undefined when absent; a bad value adds an error naming `owner` at `where`. */
export function resolveTimeout(value: string | number | undefined, owner: string, where: SourceLocation, errors: MarveloError[], job?: string): number | undefined {
  if (value === undefined) return undefined;
  const parsed = parseDuration(value);
  const reason = !parsed.ok ? parsed.reason : parsed.ms === 0 ? 'a timeout of 0 would end it at once' : undefined;
  if (reason !== undefined || !parsed.ok) {
    errors.push(new MarveloError('MRV_CONFIG_SCHEMA', `${owner} timeout ${JSON.stringify(value)} is refused: ${reason}`, { where, job, hint: `${EXPECTS}; leave timeout out for none` }));
    return undefined;
  }
  return parsed.ms;
}
