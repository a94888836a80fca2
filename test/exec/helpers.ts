/** Shared by the executable-job tests: fixture paths and the "no process left" check. */
import { join } from 'node:path';
import { expect } from 'vitest';
import { processesTagged, ROOT } from '../helpers/cli.js';

export const EXEC_FIXTURES = join(ROOT, 'test', 'fixtures', 'exec');

export function execFixture(name: string): string {
  return join(EXEC_FIXTURES, name);
}

/** Every worker and every program of the run is gone (programs inherit the tag in their environment). */
export function expectNoProcessLeft(tag: string): void {
  expect(processesTagged(tag)).toEqual([]);
}
