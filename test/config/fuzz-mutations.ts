/**
 * Seeded mutations of a network file for the config fuzzing suite: of its structure (keys, values,
 * types, nesting, sizes), of its YAML text (lines, characters, anchors, tags, documents) and of its
 * bytes (encodings, BOM, CRLF, NUL, invalid UTF-8). The same seed always gives the same mutation.
 */
import { parse, stringify } from 'yaml';
import { seededRandom } from '../helpers/seeded-random.js';

export interface Mutant {
  bytes: Uint8Array;
  /** What was done, for the failure message. */
  steps: string[];
}

type Rng = () => number;
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const int = (rng: Rng, n: number) => Math.floor(rng() * n);
const pick = <T>(rng: Rng, items: readonly T[]): T => items[int(rng, items.length)]!;

const WORDS = ['name', 'uses', 'inputs', 'outputs', 'params', 'pipes', 'jobs', 'codec', 'block_count', 'optional',
  'drop', 'newest', 'oldest', 'block', 'msgpack', 'json', 'bytes', 'float32', 'groups', 'LOCAL', 'ALL', 'nodes',
  'host', 'executable', 'args', 'pass', 'fd', 'path', 'head', 'head_size', 'max_queue', 'env', 'builtin:csv-sink',
  'builtin:console', 'builtin:nope', './count.ts', '../jobs/count.ts', 'p101', 'count1', 'x', ''];
const SPECIALS = [': ', ':', '- ', '-', '#', '&a ', '*a', '!', '!!str ', '%', '@', '`', '{', '}', '[', ']', ',', '|',
  '>', "'", '"', '\\', '?', '\t', '\n', '  ', '---', '...', '\u00e9', '\u{1F600}', '\u2028', '\ufeff'];
const SCALARS = ['~', 'null', 'true', 'no', 'on', '.inf', '-.inf', '.nan', '0x1F', '0o17', '1e400', '-0', '1_000',
  '2001-12-14', '12:30:45', '"\\0"', "''", '""', '!!binary aGVsbG8=', '!!timestamp 2001-12-14', '!!int "3"',
  '!!float 1', '!custom x', '!!set { a, b }', '!!omap [ a: 1, a: 2 ]', '*nowhere', '&anchor 5', '<<', '=', '|\n  x'];

function randomString(rng: Rng): string {
  switch (int(rng, 6)) {
    case 0:
      return pick(rng, WORDS);
    case 1:
      return pick(rng, WORDS) + pick(rng, SPECIALS) + pick(rng, WORDS);
    case 2:
      return 'x'.repeat(1 + int(rng, 20_000));
    case 3:
      return Array.from({ length: 1 + int(rng, 8) }, () => String.fromCharCode(32 + int(rng, 95))).join('');
    case 4:
      return Array.from({ length: 1 + int(rng, 8) }, () => String.fromCodePoint(int(rng, 0x30000))).join('');
    default:
      return pick(rng, SPECIALS);
  }
}

function randomValue(rng: Rng, depth = 0): Json {
  switch (int(rng, 12)) {
    case 0:
      return null;
    case 1:
      return rng() < 0.5;
    case 2:
      return pick(rng, [0, -1, 1, 5, 2 ** 31, 2 ** 53 + 2, -(2 ** 63), 1.5, -0.001, 1e308, Infinity, NaN]);
    case 3:
    case 4:
      return randomString(rng);
    case 5:
      return depth > 3 ? [] : Array.from({ length: int(rng, 4) }, () => randomValue(rng, depth + 1));
    case 6: {
      if (depth > 3) return {};
      const map: { [key: string]: Json } = {};
      for (let i = int(rng, 4); i > 0; i--) map[pick(rng, WORDS)] = randomValue(rng, depth + 1);
      return map;
    }
    case 7:
      return Array.from({ length: 1000 + int(rng, 4_000) }, (_, i) => i);
    case 8: {
      const map: { [key: string]: Json } = {};
      for (let i = 500 + int(rng, 1_500); i > 0; i--) map[`k${i}`] = i;
      return map;
    }
    case 9: {
      let v: Json = 1;
      for (let i = 50 + int(rng, 200); i > 0; i--) v = rng() < 0.5 ? [v] : { a: v };
      return v;
    }
    default:
      return pick(rng, WORDS);
  }
}

/** Every (container, key) of the document. */
function slots(root: Json): { parent: Json[] | { [key: string]: Json }; key: string | number }[] {
  const found: { parent: Json[] | { [key: string]: Json }; key: string | number }[] = [];
  const seen = new Set<Json>(); // aliases make shared (even cyclic) values
  const visit = (node: Json) => {
    if (node === null || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) node.forEach((v, i) => (found.push({ parent: node, key: i }), visit(v)));
    else if (node !== null && typeof node === 'object') for (const [k, v] of Object.entries(node)) found.push({ parent: node, key: k }), visit(v);
  };
  visit(root);
  return found;
}

const get = (s: { parent: Json[] | { [key: string]: Json }; key: string | number }) => (s.parent as Record<string | number, Json>)[s.key]!;
const set = (s: { parent: Json[] | { [key: string]: Json }; key: string | number }, v: Json) => ((s.parent as Record<string | number, Json>)[s.key] = v);

function typo(rng: Rng, word: string): string {
  const i = int(rng, word.length + 1);
  switch (int(rng, 5)) {
    case 0:
      return word.slice(0, i) + word.slice(i + 1);
    case 1:
      return word.slice(0, i) + pick(rng, [...'aeiou_-.s1 ']) + word.slice(i);
    case 2:
      return word.toUpperCase();
    case 3:
      return i + 1 < word.length ? word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2) : word + 's';
    default:
      return pick(rng, WORDS);
  }
}

/** A change to the parsed structure; returns what it did. */
function mutateStructure(rng: Rng, root: Json): string {
  const all = slots(root);
  if (all.length === 0) return 'nothing to change';
  const s = pick(rng, all);
  const where = `at ${JSON.stringify(s.key).slice(0, 40)}`;
  switch (int(rng, 9)) {
    case 0:
      if (Array.isArray(s.parent)) s.parent.splice(s.key as number, 1);
      else delete s.parent[s.key as string];
      return `delete ${where}`;
    case 1: {
      if (Array.isArray(s.parent)) return 'rename skipped';
      const v = s.parent[s.key as string]!;
      delete s.parent[s.key as string];
      const name = typo(rng, s.key as string);
      s.parent[name] = v;
      return `rename ${where} to ${JSON.stringify(name).slice(0, 40)}`;
    }
    case 2:
    case 3:
      set(s, randomValue(rng));
      return `replace value ${where}`;
    case 4:
      if (Array.isArray(s.parent)) s.parent.push(structuredClone(get(s)));
      else s.parent[`${String(s.key)}_copy`] = structuredClone(get(s));
      return `duplicate ${where}`;
    case 5: {
      const other = pick(rng, all);
      const v = get(s);
      set(s, get(other));
      set(other, v);
      return `swap ${where} with ${JSON.stringify(other.key).slice(0, 40)}`;
    }
    case 6:
      set(s, rng() < 0.5 ? [get(s)] : { [pick(rng, WORDS)]: get(s) });
      return `wrap ${where}`;
    case 7:
      if (Array.isArray(s.parent)) s.parent.splice(s.key as number, 0, randomValue(rng));
      else s.parent[pick(rng, WORDS)] = randomValue(rng);
      return `insert ${where}`;
    default:
      set(s, typeof get(s) === 'string' ? typo(rng, get(s) as string) : String(get(s)));
      return `retype ${where}`;
  }
}

/** A change to the YAML text; returns what it did. */
function mutateText(rng: Rng, text: string): { text: string; step: string } {
  const lines = text.split('\n');
  const n = int(rng, lines.length);
  const pos = int(rng, text.length + 1);
  switch (int(rng, 12)) {
    case 0:
      lines.splice(n, 1);
      return { text: lines.join('\n'), step: `delete line ${n + 1}` };
    case 1:
      lines.splice(n, 0, lines[n] ?? '');
      return { text: lines.join('\n'), step: `repeat line ${n + 1}` };
    case 2:
      lines[n] = ' '.repeat(1 + int(rng, 3)) + lines[n];
      return { text: lines.join('\n'), step: `indent line ${n + 1}` };
    case 3:
      lines[n] = (lines[n] ?? '').replace(/^\s{1,2}/, '');
      return { text: lines.join('\n'), step: `dedent line ${n + 1}` };
    case 4:
    case 5: {
      const s = pick(rng, SPECIALS);
      return { text: text.slice(0, pos) + s + text.slice(pos), step: `insert ${JSON.stringify(s)} at ${pos}` };
    }
    case 6:
      return { text: text.slice(0, pos) + text.slice(pos + 1 + int(rng, 20)), step: `cut at ${pos}` };
    case 7:
      return { text: text.slice(0, pos), step: `truncate at ${pos}` };
    case 8: {
      const m = [...text.matchAll(/: (?=\S)/g)];
      if (m.length === 0) return { text, step: 'no value to replace' };
      const at = pick(rng, m).index! + 2;
      const end = text.slice(at).search(/[\n,}\]]/);
      const s = pick(rng, SCALARS);
      return { text: text.slice(0, at) + s + text.slice(end < 0 ? text.length : at + end), step: `value at ${at} -> ${JSON.stringify(s)}` };
    }
    case 9: {
      const head = pick(rng, ['%YAML 1.1\n---\n', '%YAML 1.2\n---\n', '%TAG ! tag:x,2000:\n---\n', '--- !!map\n', '---\n', '%FOO\n---\n']);
      return { text: head + text + pick(rng, ['', '\n---\nmore: 1\n', '\n...\n', '\n--- |\n  x\n']), step: `documents ${JSON.stringify(head)}` };
    }
    case 10: {
      // Anchors and aliases: repeat a value, a merge key, a dangling alias, or a billion laughs in params.
      const m = [...text.matchAll(/params: /g)];
      if (m.length === 0) return { text, step: 'no params' };
      const at = pick(rng, m).index! + 8;
      const laughs = '{ a: &l0 [x, x, x, x, x, x, x, x, x], b: &l1 [*l0, *l0, *l0, *l0, *l0, *l0, *l0, *l0, *l0], c: &l2 [*l1, *l1, *l1, *l1, *l1, *l1, *l1, *l1, *l1], d: &l3 [*l2, *l2, *l2, *l2, *l2, *l2, *l2, *l2, *l2], e: [*l3, *l3, *l3, *l3, *l3, *l3, *l3, *l3, *l3, *l3, *l3, *l3, *l3, *l3, *l3, *l3, *l3, *l3] }';
      const s = pick(rng, ['&p ', '*p ', '*p\n', '{ <<: *p, x: 1 }\n', '&p { x: &q [1] } ', '*q\n', laughs + '\n', '&p [*p]\n']);
      return { text: text.slice(0, at) + s + text.slice(at), step: `alias ${JSON.stringify(s).slice(0, 40)} at ${at}` };
    }
    default: {
      const s = pick(rng, ['\t', '\r', '\u00a0', '\u0085', '\u2028', '\ufeff']);
      return { text: text.slice(0, pos) + s + text.slice(pos), step: `insert ${JSON.stringify(s)} at ${pos}` };
    }
  }
}

/** A change to the bytes (encodings); returns what it did. */
function mutateBytes(rng: Rng, text: string): { bytes: Uint8Array; step: string } {
  const utf8 = Buffer.from(text, 'utf8');
  const pos = int(rng, utf8.length + 1);
  const insert = (b: number[]) => Buffer.concat([utf8.subarray(0, pos), Buffer.from(b), utf8.subarray(pos)]);
  switch (int(rng, 9)) {
    case 0:
      return { bytes: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8]), step: 'BOM' };
    case 1:
      return { bytes: Buffer.from(text.replaceAll('\n', '\r\n'), 'utf8'), step: 'CRLF' };
    case 2:
      return { bytes: insert([0]), step: `NUL at ${pos}` };
    case 3:
      return { bytes: insert([pick(rng, [0xff, 0xc3, 0x80, 0xe9, 0xf8])]), step: `invalid UTF-8 at ${pos}` };
    case 4:
      return { bytes: insert([0xed, 0xa0, 0x80]), step: `encoded surrogate at ${pos}` };
    case 5:
      return { bytes: Buffer.from('\ufeff' + text, 'utf16le'), step: 'UTF-16' };
    case 6: {
      const bytes = Buffer.from(utf8);
      for (let i = 1 + int(rng, 4); i > 0 && bytes.length > 0; i--) bytes[int(rng, bytes.length)] ^= 1 << int(rng, 8);
      return { bytes, step: 'bit flips' };
    }
    case 7:
      return { bytes: Buffer.from(pick(rng, ['', '\n', '# only a comment\n', '   ', '---\n', '~\n', '[]\n', '{}\n'])), step: 'tiny file' };
    default:
      return { bytes: Buffer.from(text.replaceAll('\n', ' ') + 'y'.repeat(int(rng, 1 << 16)), 'utf8'), step: 'one long line' };
  }
}

/** One to three mutations of `original`, chosen by `seed`. */
export function mutate(original: string, seed: number): Mutant {
  const rng = seededRandom(seed);
  const steps: string[] = [];
  let text = original;
  for (let i = 1 + int(rng, 3); i > 0; i--) {
    const kind = int(rng, 10);
    if (kind < 5) {
      let root: Json;
      try {
        root = parse(text, { logLevel: 'error' }) as Json;
      } catch {
        steps.push('structure skipped (not YAML)');
        continue;
      }
      steps.push(mutateStructure(rng, root));
      text = stringify(root, { lineWidth: 0 });
    } else if (kind < 9) {
      const m = mutateText(rng, text);
      steps.push(m.step);
      text = m.text;
    } else {
      const m = mutateBytes(rng, text);
      steps.push(m.step);
      return { bytes: m.bytes, steps };
    }
  }
  return { bytes: Buffer.from(text, 'utf8'), steps };
}
