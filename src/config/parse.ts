/** Reads the network file and parses it as YAML, keeping positions (phase 1). */
import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument } from 'yaml';
import { MarveloError } from '../errors.js';
import { findAliasProblem } from './aliases.js';
import { YamlSource } from './source.js';

export type ParseResult = { ok: true; source: YamlSource } | { ok: false; errors: MarveloError[] };

export async function readNetworkFile(file: string): Promise<ParseResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : 'cannot be read';
    return {
      ok: false,
      errors: [
        new MarveloError('MRV_CONFIG_FILE', `network file ${file} ${reason}`, {
          hint: 'give the path of a YAML network file, e.g. networks/demo.yaml',
          cause: e,
        }),
      ],
    };
  }
  return parseNetworkText(file, text);
}

export function parseNetworkText(file: string, text: string): ParseResult {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const source = new YamlSource(file, doc, lines);
  if (doc.errors.length === 0) {
    const alias = findAliasProblem(doc);
    if (alias === undefined) return { ok: true, source };
    return { ok: false, errors: [new MarveloError('MRV_CONFIG_YAML', alias.message, { where: source.at(alias.offset), hint: alias.hint })] };
  }
  const errors = doc.errors.map(
    (e) =>
      new MarveloError('MRV_CONFIG_YAML', `invalid YAML: ${firstSentence(e.message)}`, {
        where: source.at(e.pos[0]),
        hint: yamlHint(e.code),
      }),
  );
  return { ok: false, errors };
}

function firstSentence(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
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
      return 'a network file holds one YAML document; remove the extra ---';
    default:
      return 'fix the YAML syntax at this position (quote values that contain ": " or start with a special character)';
  }
}
