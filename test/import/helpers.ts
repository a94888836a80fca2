import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp-dir.js';

/** The test project: networks in the shapes of the original's example_networks, with a shared/ package. */
export const PROJECT = join(ROOT, 'test', 'fixtures', 'import', 'project');

export const HAS_PYTHON = spawnSync('python3', ['--version']).status === 0;
export const NO_PYTHON_REASON = 'python3 is not installed: marvelo import reads config.py with it';

/** A fresh copy of the test project (the import writes into the network folder). */
export function projectCopy(): string {
  const dir = join(tempDir(), 'project');
  cpSync(PROJECT, dir, { recursive: true });
  return dir;
}

export function readYaml(file: string): Record<string, unknown> {
  return parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

/** The notes about one subject, as `kind: text`. */
export function notesAbout(notes: { kind: string; subject: string; text: string }[], subject: string): string[] {
  return notes.filter((n) => n.subject === subject).map((n) => `${n.kind}: ${n.text}`);
}
