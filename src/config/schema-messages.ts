/** The words of schema errors: what was expected, what was found, and under which condition. */
import { isMap } from 'yaml';
import { named, quoted } from './shown.js';
import type { DocPath } from './source.js';
import type { Schema } from './validate-schema.js';
import { kindOf, scalarValue } from './yaml-values.js';

const TYPE_WORDS: Record<string, string> = {
  object: 'a map',
  array: 'a list',
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
  null: 'empty',
};

export function typeWords(type: string | readonly string[]): string {
  const types = typeof type === 'string' ? [type] : [...type];
  const words = types.filter((t) => !(t === 'integer' && types.includes('number'))).map((t) => TYPE_WORDS[t] ?? t);
  return words.length <= 1 ? (words[0] ?? 'something else') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

export function describe(node: unknown): string {
  const kind = kindOf(node);
  const v = scalarValue(node);
  switch (kind) {
    case 'object':
      return 'a map';
    case 'array':
      return 'a list';
    case 'string':
      return `the string ${quoted(String(v))}`;
    case 'integer':
    case 'number':
      return `the number ${String(v)}`;
    case 'boolean':
      return String(v);
    case 'null':
      return 'empty';
    default:
      return 'a value of another type';
  }
}

export function hintOf(schema: Schema): string {
  return typeof schema === 'object' ? (schema.description ?? '') : '';
}

export function lastKey(path: DocPath): string {
  for (let i = path.length - 1; i >= 0; i--) if (typeof path[i] === 'string') return path[i] as string;
  return 'value';
}

/** 'block_count', or "item 2 of 'outputs'". */
export function label(path: DocPath, file = 'the network file'): string {
  const last = path[path.length - 1];
  if (last === undefined) return file;
  if (typeof last === 'number') {
    const owner = path[path.length - 2];
    return owner === 'jobs' ? `job ${last + 1}` : owner === 'nodes' ? `node ${last + 1}` : `item ${last + 1} of ${named(String(owner))}`;
  }
  return named(last);
}


/** "when codec is 'bytes'", "when 'uses' is given", "when codec is not 'bytes'". */
export function describeCondition(ifSchema: Schema, holds: boolean, node: unknown): string {
  if (typeof ifSchema !== 'object') return '';
  const parts: string[] = [];
  for (const [key, sub] of Object.entries(ifSchema.properties ?? {})) {
    if (typeof sub !== 'object') continue;
    const values = sub.const !== undefined ? [sub.const] : (sub.enum ?? []);
    const actual = isMap(node) ? node.get(key) : undefined;
    const shown = holds && actual !== undefined ? [actual] : values;
    parts.push(`${key} is ${holds ? '' : 'not '}${shown.map((v) => `'${String(v)}'`).join(' or ')}`);
  }
  if (parts.length === 0) for (const key of ifSchema.required ?? []) parts.push(`'${key}' is ${holds ? '' : 'not '}given`);
  return parts.length ? `when ${parts.join(' and ')}` : '';
}
