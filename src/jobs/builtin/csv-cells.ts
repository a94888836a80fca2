/**
 * Values as CSV cells, the way people read them: numbers plain, strings as they are, booleans
 * true/false, null and undefined empty, arrays and objects as JSON (a block_count group is one cell).
 */
export function toCell(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'bigint':
      return String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'undefined':
      return '';
    case 'object':
      if (value === null) return '';
      if (value instanceof Date) return value.toISOString();
      return JSON.stringify(value, jsonReplacer);
    default:
      return String(value);
  }
}

/** Typed arrays and Buffers become plain number arrays; bigints become numbers' text. */
function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Array.from(value as unknown as ArrayLike<number>);
  // Buffer.toJSON() ran before the replacer saw it: { type: 'Buffer', data: [...] }.
  if (isBufferJson(value)) return value.data;
  return value;
}

function isBufferJson(v: unknown): v is { type: 'Buffer'; data: number[] } {
  return typeof v === 'object' && v !== null && (v as { type?: unknown }).type === 'Buffer' && Array.isArray((v as { data?: unknown }).data);
}
