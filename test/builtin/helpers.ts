import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/cli.js';

export { tempDir } from '../helpers/temp-dir.js';

export function builtinFixture(name: string): string {
  return join(ROOT, 'test', 'fixtures', 'builtin', name);
}

/** A text file's lines, without the empty string after the last newline. */
export function readLines(file: string): string[] {
  return readFileSync(file, 'utf8').split('\n').slice(0, -1);
}
