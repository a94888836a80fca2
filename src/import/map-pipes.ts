/** The original's pipe classes as pipe settings: codec, block_size, block_count, optional, async. */
import { pipeName } from './names.js';
import type { Notes } from './notes.js';
import type { JsonValue, OriginalPipe } from './original.js';

/** What an optional pipe with an unbounded buffer (OPTIONAL_BUFFER_SIZE 0) gets: a bounded one. */
export const UNBOUNDED_BUFFER = 1024;

/** The pipe's settings, or undefined when the defaults (msgpack, block_count 1) say it all. */
export function mapPipe(pipe: OriginalPipe, notes: Notes): Record<string, JsonValue> | undefined {
  const subject = `pipe ${pipeName(pipe.id)} (${pipe.cls})`;
  const out: Record<string, JsonValue> = {};
  codecOf(pipe, out, subject, notes);
  if (pipe.block_count > 1) out.block_count = pipe.block_count;
  if (pipe.optional !== null) {
    const o = pipe.optional;
    const optional: Record<string, JsonValue> = {};
    if (o.default !== null) optional.default = o.default;
    if (o.default_repr !== null) notes.dropped(subject, `OPTIONAL_DEFAULT ${o.default_repr} is not JSON data; the default is null`);
    if (!o.store) optional.store = false;
    if (o.buffer === 0) {
      optional.buffer = UNBOUNDED_BUFFER;
      notes.changed(subject, `OPTIONAL_BUFFER_SIZE 0 (unbounded) becomes buffer: ${UNBOUNDED_BUFFER}: every buffer is bounded here`);
    } else if (o.buffer > 1) optional.buffer = o.buffer;
    if (o.drop === 'newest') optional.drop = 'newest';
    out.optional = optional;
  } else if (pipe.async) {
    out.async = true;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function codecOf(pipe: OriginalPipe, out: Record<string, JsonValue>, subject: string, notes: Notes): void {
  const custom = pipe.custom_methods;
  const size = pipe.block_size;
  if (pipe.codec === 'json') out.codec = 'json';
  else if (pipe.codec === 'bytes' || (pipe.codec === null && typeof size === 'number')) {
    out.codec = 'bytes';
    out.block_size = typeof size === 'number' && size >= 1 ? size : 1;
  } else if (pipe.codec === null) {
    notes.changed(subject, `BLOCK_SIZE ${JSON.stringify(size)} names no framing marvelo knows; the pipe is msgpack`);
  }
  if (custom.length > 0) {
    const carried = out.codec === 'bytes' ? `raw ${String(out.block_size)}-byte blocks (codec bytes): a PythonJob on it gets and returns bytes` : `${String(out.codec ?? 'msgpack')} values`;
    notes.dropped(
      subject,
      `its own ${custom.join(', ')} cannot run: marvelo runs no Python in a pipe. It carries ${carried}; do the conversion in the jobs at either end, or write a codec module (pack/unpack in TypeScript, see the pipe codec key)`,
    );
  }
}
