/** Reads the network file and parses it as YAML, keeping positions (phase 1). */
import { readFile } from 'node:fs/promises';
import { LineCounter } from 'yaml';
import { MarveloError, type SourceLocation } from '../errors.js';
import { resolveAliases } from './aliases.js';
import { findDuplicateKeys } from './duplicate-keys.js';
import { decodeNetworkText } from './network-text.js';
import { shorten } from './shown.js';
import { YamlSource } from './source.js';
import type { YamlProblem } from './nesting.js';
import { parseYaml, yieldToEvents, type Pause } from './yaml-parse.js';

export type ParseResult = { ok: true; source: YamlSource } | { ok: false; errors: MarveloError[] };

/** Which file is read, for messages: the network file, or a cluster file it names. */
export interface YamlFileKind {
  /** e.g. 'network file' */
  name: string;
  /** How to name one, e.g. 'give the path of a YAML network file, e.g. networks/demo.yaml'. */
  pathHint: string;
  /** Where another file names this one (a cluster file named by a network file). */
  namedAt?: SourceLocation;
}

const NETWORK: YamlFileKind = { name: 'network file', pathHint: 'give the path of a YAML network file, e.g. networks/demo.yaml' };

export async function readNetworkFile(file: string, pause: Pause = yieldToEvents, kind: YamlFileKind = NETWORK): Promise<ParseResult> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a folder' : 'cannot be read';
    return {
      ok: false,
      errors: [
        new MarveloError('MRV_CONFIG_FILE', `${kind.name} ${file} ${reason}`, {
          hint: kind.pathHint,
          where: kind.namedAt,
          cause: e,
        }),
      ],
    };
  }
  const decoded = decodeNetworkText(bytes, `the ${kind.name}`);
  if (!decoded.ok) {
    const { line, col, message, hint } = decoded.problem;
    return { ok: false, errors: [new MarveloError('MRV_CONFIG_YAML', message, { where: { file, line, col }, hint })] };
  }
  return parseNetworkText(file, decoded.text, pause);
}

/** `pause` runs between slices of a large text (it may throw to stop the parse). */
export async function parseNetworkText(file: string, text: string, pause: Pause = yieldToEvents): Promise<ParseResult> {
  const lines = new LineCounter();
  const at = (offset: number) => {
    const { line, col } = lines.linePos(offset);
    return { file, line, col };
  };
  const problemError = ({ offset, message, hint }: YamlProblem) => new MarveloError('MRV_CONFIG_YAML', message, { where: at(offset), hint });
  const parsed = await parseYaml(text, lines, pause);
  if (!parsed.ok) return { ok: false, errors: [problemError(parsed.problem)] };
  const { doc } = parsed;
  // A warning is a value yaml could not read as written (an unknown tag or directive): refused too.
  const errors = [...doc.errors, ...doc.warnings].map(
    (e) =>
      new MarveloError('MRV_CONFIG_YAML', `invalid YAML: ${firstSentence(e.message)}`, {
        where: at(e.pos[0]),
        hint: yamlHint(e.code),
      }),
  );
  for (const offset of findDuplicateKeys(doc)) {
    errors.push(new MarveloError('MRV_CONFIG_YAML', 'invalid YAML: Map keys must be unique', { where: at(offset), hint: yamlHint('DUPLICATE_KEY') }));
  }
  if (errors.length > 0) return { ok: false, errors: errors.sort((a, b) => a.where!.line - b.where!.line || a.where!.col - b.where!.col) };
  await pause();
  const aliases = resolveAliases(doc);
  if (!aliases.ok) return { ok: false, errors: [problemError(aliases.problem)] };
  return { ok: true, source: new YamlSource(file, doc, lines, aliases.targets) };
}

function firstSentence(message: string): string {
  return shorten(message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, ''));
}

function yamlHint(code: string): string {
  switch (code) {
    case 'DUPLICATE_KEY':
      return 'each key may appear once in a map; merge the two entries';
    case 'BAD_INDENT':
    case 'MISSING_CHAR':
      return 'check the indentation and that every [ or { is closed on this or a following line';
    case 'TAB_AS_INDENT':
      return 'indent with spaces, not tabs';
    case 'MULTIPLE_DOCS':
      return 'the file holds one YAML document; remove the extra ---';
    case 'TAG_RESOLVE_FAILED':
      return 'the file holds plain values (maps, lists, strings, numbers, true/false, null): remove the tag, or quote the value';
    case 'BAD_DIRECTIVE':
      return 'remove the directive (a line starting with %); marvelo files need none';
    default:
      return 'fix the YAML syntax at this position (quote values that contain ": " or start with a special character)';
  }
}
