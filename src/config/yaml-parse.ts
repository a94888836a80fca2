/**
 * YAML text -> composed document. The text is lexed and parsed in slices with a pause between them, so a
 * signal is handled while a large file is parsed; nesting deeper than MAX_DEPTH stops the parse before
 * the (recursive) parser and composer could run out of stack.
 */
import { Composer, Lexer, Parser, YAMLParseError, type CST, type Document, type LineCounter } from 'yaml';
import { MAX_DEPTH, tooDeep, type YamlProblem } from './nesting.js';

/** Lexical tokens between two pauses. */
const LEXEMES_PER_SLICE = 50_000;

export type YamlParse = { ok: true; doc: Document.Parsed } | { ok: false; problem: YamlProblem };

/** Called between slices: resolves once pending events had their turn (it may throw to stop the parse). */
export type Pause = () => Promise<void>;

/** The parser's stack holds the document, the open collections, and at times a scalar on top. */
function openCollections(stack: readonly CST.Token[]): number {
  const top = stack[stack.length - 1]!;
  const collection = top.type === 'block-map' || top.type === 'block-seq' || top.type === 'flow-collection';
  return stack.length - 1 - (collection ? 0 : 1);
}

export const yieldToEvents: Pause = () => new Promise((resolve) => setImmediate(resolve));

export async function parseYaml(text: string, lines: LineCounter, pause: Pause = yieldToEvents): Promise<YamlParse> {
  // uniqueKeys: findDuplicateKeys() checks them in one pass (yaml compares each key with every earlier one).
  // Plain data only: YAML 1.1's and yaml's own tags (!!binary, !!timestamp, !!set, ...) would make values
  // no pipe or worker carries as written; a tag left unresolved is a warning, which parse.ts refuses.
  const composer = new Composer({ uniqueKeys: false, prettyErrors: false, logLevel: 'error', schema: 'core', resolveKnownTags: false });
  const parser = new Parser(lines.addNewLine);
  const docs: Document.Parsed[] = [];
  const compose = (tokens: Iterable<Parameters<Composer['next']>[0]>) => {
    for (const token of tokens) docs.push(...composer.next(token));
  };
  lines.addNewLine(0);
  let inSlice = 0;
  for (const lexeme of new Lexer().lex(text)) {
    compose(parser.next(lexeme));
    if (parser.stack.length > MAX_DEPTH + 1 && openCollections(parser.stack) > MAX_DEPTH) return { ok: false, problem: tooDeep(parser.offset) };
    if (++inSlice === LEXEMES_PER_SLICE) {
      inSlice = 0;
      await pause();
    }
  }
  compose(parser.end());
  docs.push(...composer.end(true, text.length));
  const doc = docs[0]!;
  if (docs.length > 1) {
    const extra = docs[1]!.range;
    doc.errors.push(new YAMLParseError([extra[0], extra[1]], 'MULTIPLE_DOCS', 'Source contains multiple documents'));
  }
  return { ok: true, doc };
}
