/**
 * Bench jobs and ceiling processes report their measurements as one line of text:
 * `@bench <json>`. A job prints it (console.log -> a log event of the run); a ceiling process writes
 * it to its stdout. The harness picks these lines out of everything else a process prints.
 */
const PREFIX = '@bench ';

export function formatMarker(payload: object): string {
  return PREFIX + JSON.stringify(payload);
}

/** The payload of a marker line, or undefined when the line is not one. */
export function parseMarker(line: string): Record<string, unknown> | undefined {
  const at = line.indexOf(PREFIX);
  if (at < 0) return undefined;
  try {
    const value: unknown = JSON.parse(line.slice(at + PREFIX.length));
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
