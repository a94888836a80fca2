/** What a YAML node holds, in JSON Schema's words. */
import { isMap, isScalar, isSeq } from 'yaml';

export type Kind = 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean' | 'null' | 'other';

export function kindOf(node: unknown): Kind {
  if (node === undefined || node === null) return 'null';
  if (isMap(node)) return 'object';
  if (isSeq(node)) return 'array';
  if (!isScalar(node)) return 'other';
  const v = node.value;
  if (v === null) return 'null';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  if (typeof v === 'boolean') return 'boolean';
  return 'other';
}

export function scalarValue(node: unknown): unknown {
  return isScalar(node) ? node.value : undefined;
}

export function typeAccepts(type: string | readonly string[], kind: Kind): boolean {
  const types = typeof type === 'string' ? [type] : type;
  return types.includes(kind) || (kind === 'integer' && types.includes('number'));
}
