import { MarveloError } from '../../errors.js';

/** MRV_WIRE_CODEC with the pipe when known; an existing MarveloError passes through unchanged. */
export function codecError(message: string, pipe: string | undefined, cause?: unknown, hint?: string): MarveloError {
  if (cause instanceof MarveloError) return cause;
  const details: { pipe?: string; cause?: unknown; hint?: string } = {};
  if (pipe !== undefined) details.pipe = pipe;
  if (cause !== undefined) details.cause = cause;
  if (hint !== undefined) details.hint = hint;
  return new MarveloError('MRV_WIRE_CODEC', message, details);
}

/** A short description of a value for error messages: its type and size, never its content. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return `an array of ${value.length} elements`;
  if (ArrayBuffer.isView(value)) {
    const name = value.constructor.name;
    const elements = 'length' in value && typeof value.length === 'number' ? `${value.length} elements, ` : '';
    return `a ${name} (${elements}${value.byteLength} bytes)`;
  }
  if (value instanceof ArrayBuffer) return `an ArrayBuffer (${value.byteLength} bytes)`;
  if (typeof value === 'string') return `a string of length ${value.length}`;
  if (typeof value === 'object') return `an object (${value.constructor?.name ?? 'no prototype'})`;
  return `a ${typeof value}`;
}

/** Checks a size from the codec spec once, at codec creation. */
export function checkPositiveInt(value: number, what: string, pipe: string | undefined): void {
  if (!Number.isInteger(value) || value < 1) {
    throw codecError(`${what} must be a positive integer, got ${String(value)}`, pipe);
  }
}

/** measure() for fixed-size payloads. */
export function measureFixed(size: number, start: number, end: number): number {
  return end - start >= size ? size : -1;
}
