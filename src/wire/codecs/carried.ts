/**
 * What the msgpack and json codecs carry faithfully, checked before a value is encoded: a value the
 * codec would change (a Map arriving as a plain object, a function as null, NaN as null in JSON) is
 * refused with its type, where it sits in the value, and what the user can send instead.
 * The table of what each codec carries is in docs/protocol.md (Payloads).
 *
 * The walk allocates nothing unless it finds something; the scalar fast path never gets here.
 */
import type { MarveloError } from '../../errors.js';
import { codecError } from './codec-error.js';

export type CarryingCodec = 'msgpack' | 'json';

/** Deeper than this is refused (a value that contains itself would otherwise never end). */
export const MAX_DEPTH = 1000;

/** Longer paths are cut in messages (a value that contains itself has a path of MAX_DEPTH steps). */
const MAX_PATH = 80;

const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;

interface Problem {
  /** What was found, with its article: 'a Map', 'an instance of class Point'. */
  type: string;
  /** What the codec would have made of it. */
  why: string;
  hint: string;
  /** Where, from the value's root: '', '[2]', '.user.roles'. Built on the way out. */
  path: string;
}

/** Throws MRV_WIRE_CODEC when `codec` would not deliver `value` as it is. */
export function checkCarried(codec: CarryingCodec, value: unknown, pipe: string | undefined): void {
  const problem = codec === 'msgpack' ? msgpackProblem(value, 0) : jsonProblem(value, '', 0);
  if (problem !== undefined) throw refusal(codec, problem, pipe);
}

function refusal(codec: CarryingCodec, p: Problem, pipe: string | undefined): MarveloError {
  const path = p.path.length > MAX_PATH ? `${p.path.slice(0, MAX_PATH)}...` : p.path;
  const where = path === '' ? '' : ` at value${path}`;
  return codecError(`${codec} cannot carry ${p.type}${where}: ${p.why}`, pipe, undefined, p.hint);
}

function msgpackProblem(v: unknown, depth: number): Problem | undefined {
  switch (typeof v) {
    case 'number':
    case 'boolean':
    case 'undefined':
      return undefined;
    case 'string':
      return (v as unknown as WellFormed).isWellFormed() ? undefined : loneSurrogate();
    case 'bigint':
      return v >= INT64_MIN && v <= UINT64_MAX ? undefined : bigintBeyond64();
    case 'object':
      return v === null ? undefined : msgpackObject(v, depth);
    default:
      return notData(v);
  }
}

function msgpackObject(v: object, depth: number): Problem | undefined {
  if (depth >= MAX_DEPTH) return tooDeep();
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      if (typeof x === 'number') continue; // the common element, checked without a call
      const p = msgpackProblem(x, depth + 1);
      if (p !== undefined) return atIndex(p, i);
    }
    return undefined;
  }
  if (isPlainObject(v)) {
    const o = v as Record<string, unknown>;
    for (const key in o) {
      const x = o[key];
      if (typeof x === 'number') continue;
      const p = msgpackProblem(x, depth + 1);
      if (p !== undefined) return at(p, key);
    }
    return undefined;
  }
  if (v instanceof Uint8Array || v instanceof Date) return undefined;
  if (v.constructor !== Map && hasToJSON(v)) return msgpackProblem(v.toJSON(), depth + 1);
  return objectProblem(v, 'msgpack');
}

function jsonProblem(v: unknown, key: string, depth: number): Problem | undefined {
  switch (typeof v) {
    case 'number':
      return Number.isFinite(v) ? undefined : notFinite(v);
    case 'string':
    case 'boolean':
    case 'undefined':
      return undefined;
    case 'bigint':
      return {
        type: 'a bigint',
        why: 'JSON has no bigint',
        hint: 'send String(value) and BigInt(text) on the other side, or use the msgpack codec, which carries 64-bit bigints',
        path: '',
      };
    case 'object':
      return v === null ? undefined : jsonObject(v, key, depth);
    default:
      return notData(v);
  }
}

function jsonObject(v: object, key: string, depth: number): Problem | undefined {
  if (depth >= MAX_DEPTH) return tooDeep();
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      if (typeof x === 'number' && x - x === 0) continue; // a finite number, checked without a call
      const p = jsonProblem(x, '', depth + 1); // '' for toJSON: no string per element
      if (p !== undefined) return atIndex(p, i);
    }
    return undefined;
  }
  if (v instanceof Date) {
    return {
      type: 'a Date',
      why: 'JSON has no dates (it would arrive as a string)',
      hint: 'send date.toISOString() and new Date(text) on the other side, or date.getTime(); or use the msgpack codec, which carries Dates',
      path: '',
    };
  }
  if (ArrayBuffer.isView(v) || v instanceof ArrayBuffer) {
    return {
      type: describeObject(v),
      why: 'JSON carries text, not binary data',
      hint: `use the msgpack codec (a Uint8Array arrives as a Buffer) or a bytes pipe, or send its numbers: ${
        v instanceof ArrayBuffer || v instanceof DataView ? 'Array.from(new Uint8Array(...))' : 'Array.from(value)'}`,
      path: '',
    };
  }
  // JSON.stringify sends what toJSON returns, whatever the object
  if (hasToJSON(v)) return jsonProblem(v.toJSON(key), key, depth + 1);
  if (isPlainObject(v)) {
    const o = v as Record<string, unknown>;
    for (const k in o) {
      const x = o[k];
      if (typeof x === 'number' && x - x === 0) continue;
      const p = jsonProblem(x, k, depth + 1);
      if (p !== undefined) return at(p, k);
    }
    return undefined;
  }
  return objectProblem(v, 'json');
}

/** An object literal (or one without a prototype); the constructor check first, as it is the cheaper. */
function isPlainObject(v: object): boolean {
  if (v.constructor === Object) return true;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function atIndex(p: Problem, i: number): Problem {
  p.path = `[${i}]${p.path}`;
  return p;
}

function at(p: Problem, key: string): Problem {
  p.path = (/^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`) + p.path;
  return p;
}

interface WellFormed {
  isWellFormed(): boolean;
}

function hasToJSON(v: object): v is { toJSON(key?: string): unknown } {
  return typeof (v as { toJSON?: unknown }).toJSON === 'function';
}

function notData(v: unknown): Problem {
  if (typeof v === 'symbol') {
    return {
      type: 'a symbol',
      why: 'a symbol exists only in the process that made it',
      hint: 'send a string instead (e.g. symbol.description)',
      path: '',
    };
  }
  return {
    type: 'a function',
    why: 'code does not travel between jobs (it would arrive as null or be left out)',
    hint: 'send the data the function works on; the consumer has its own code',
    path: '',
  };
}

function notFinite(v: number): Problem {
  return {
    type: Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity',
    why: 'JSON has no NaN or Infinity (it would arrive as null)',
    hint: 'use the msgpack codec, which carries every number, or send null or a string explicitly',
    path: '',
  };
}

function loneSurrogate(): Problem {
  return {
    type: 'a string with a lone surrogate',
    why: 'msgpack strings are UTF-8, which cannot hold half of a UTF-16 pair (it would arrive as U+FFFD)',
    hint: 'send value.toWellFormed(), or use the json codec, which escapes it',
    path: '',
  };
}

function bigintBeyond64(): Problem {
  return {
    type: 'a bigint beyond 64 bits',
    why: 'msgpack integers have at most 64 bits',
    hint: 'send value.toString() and BigInt(text) on the other side',
    path: '',
  };
}

function tooDeep(): Problem {
  return {
    type: `a value nested more than ${MAX_DEPTH} levels deep`,
    why: 'it contains itself, or is too deep to encode',
    hint: 'send a tree of plain values; a value that refers to itself cannot be encoded',
    path: '',
  };
}

const TYPED_CODECS: Record<string, string> = {
  Float32Array: 'float32',
  Float64Array: 'float64',
  Int16Array: 'int16',
  Int32Array: 'int32',
};

/** A non-plain object neither codec carries as it is. */
function objectProblem(v: object, codec: CarryingCodec): Problem {
  const type = describeObject(v);
  const problem = (why: string, hint: string): Problem => ({ type, why, hint, path: '' });
  const asObject = codec === 'msgpack' ? 'a plain object' : '{}';
  if (v instanceof Map) {
    return problem(`it would arrive as ${asObject}`,
      'send Object.fromEntries(map) (string keys) or [...map] (an array of [key, value] pairs), and new Map(value) on the other side');
  }
  if (v instanceof Set) {
    return problem(`it would arrive as ${codec === 'msgpack' ? 'an array' : '{}'}`, 'send [...set], and new Set(value) on the other side');
  }
  if (ArrayBuffer.isView(v)) {
    const name = v.constructor.name;
    const pipeCodec = TYPED_CODECS[name];
    const instead = pipeCodec !== undefined
      ? `use a pipe with codec: ${pipeCodec} and length: ${(v as Float32Array).length} (raw, no copy), or send Array.from(value)`
      : 'send Array.from(value), or new Uint8Array(value.buffer, value.byteOffset, value.byteLength) for its raw bytes';
    return problem('it would arrive as a Buffer of its raw bytes', instead);
  }
  if (v instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && v instanceof SharedArrayBuffer)) {
    return problem('it would arrive as another type', 'send new Uint8Array(buffer) (it arrives as a Buffer)');
  }
  if (v instanceof Error) {
    return problem(`it would arrive as ${codec === 'msgpack' ? 'an array' : '{}'}`, 'send the parts you need, e.g. { name: error.name, message: error.message }');
  }
  if (v instanceof RegExp) {
    return problem(`it would arrive as ${codec === 'msgpack' ? 'an array' : '{}'}`, 'send { source: re.source, flags: re.flags }, and new RegExp(source, flags) on the other side');
  }
  if (v instanceof Promise) return problem('a promise is not a value yet', 'await it and send its result');
  if (v instanceof Number || v instanceof String || v instanceof Boolean) {
    return problem('a boxed primitive would not arrive as itself', 'send the primitive (value.valueOf())');
  }
  const name = typeof v.constructor === 'function' ? v.constructor.name : '';
  return problem(`it would arrive as a plain object without its class and methods`,
    `send a plain object (e.g. { ...value }) and rebuild the instance on the other side, or give ${name ? `class ${name}` : 'its class'} a toJSON() method that returns one`);
}

function describeObject(v: object): string {
  const name = typeof v.constructor === 'function' ? v.constructor.name : '';
  const builtIn = ['Map', 'Set', 'WeakMap', 'WeakSet', 'ArrayBuffer', 'SharedArrayBuffer', 'DataView', 'Error', 'RegExp', 'Promise', 'Number', 'String', 'Boolean'];
  if (ArrayBuffer.isView(v) || builtIn.includes(name) || v instanceof Error) return `${/^[AEIO]/.test(name) ? 'an' : 'a'} ${name}`;
  return name ? `an instance of class ${name}` : 'an object of no known class';
}
