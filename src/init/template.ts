import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { packageRoot } from '../paths.js';

/** One file of a project template: where it goes in the new project, and its text with values filled in. */
export interface TemplateFile {
  /** Path in the new project, with `/` separators. */
  path: string;
  text: string;
}

/**
 * Files a package cannot ship under their own name (npm pack leaves every `.gitignore` out), kept in the
 * template under another name and written under theirs.
 */
const SHIPPED_AS: Readonly<Record<string, string>> = { gitignore: '.gitignore' };

/** The folder of the project template `name`, shipped with marvelo. */
export function templateDir(name: string): string {
  return join(packageRoot(), 'templates', name);
}

/** Every file of the template in `dir`, sorted by path, each `{{key}}` replaced by `values[key]`. */
export function renderTemplate(dir: string, values: Readonly<Record<string, string>>): TemplateFile[] {
  return listFiles(dir)
    .map((file) => ({
      path: projectPath(relative(dir, file)),
      text: fillIn(readFileSync(file, 'utf8'), values, file),
    }))
    .sort((a, b) => a.path.localeCompare(b.path));
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? listFiles(path) : [path];
  });
}

function projectPath(templatePath: string): string {
  const parts = templatePath.split(sep);
  const last = parts.length - 1;
  parts[last] = SHIPPED_AS[parts[last]!] ?? parts[last]!;
  return parts.join('/');
}

function fillIn(text: string, values: Readonly<Record<string, string>>, file: string): string {
  return text.replace(/\{\{([a-z-]+)\}\}/g, (_, key: string) => {
    const value = values[key];
    // A template and the code filling it in ship together: a key without a value is a bug of marvelo.
    if (value === undefined) throw new Error(`template ${file} uses {{${key}}}, which has no value`);
    return value;
  });
}
