/**
 * Can a job's run() take the job's inputs? Read from the function itself: `length` counts the
 * parameters before the first default, and the source text tells declared parameters, a rest parameter
 * and the use of `arguments`.
 */

export interface RunSignature {
  /** Parameters without a default before the first default or rest parameter (Function.length). */
  required: number;
  /** All declared parameters, the rest parameter included; undefined when the text cannot be read. */
  declared: number | undefined;
  rest: boolean;
  usesArguments: boolean;
  generator: boolean;
}

type AnyFunction = (...args: never[]) => unknown;

export function runSignature(fn: AnyFunction): RunSignature {
  const text = Function.prototype.toString.call(fn);
  const params = parameterList(text);
  const ctor = Object.getPrototypeOf(fn)?.constructor?.name;
  return {
    required: fn.length,
    declared: params?.length,
    rest: params?.some((p) => p.startsWith('...')) ?? false,
    usesArguments: /\barguments\b/.test(params === undefined ? text : bodyOf(text)),
    generator: ctor === 'GeneratorFunction' || ctor === 'AsyncGeneratorFunction',
  };
}

/** What is wrong when run() is called with one value per input, or undefined. A source takes any run(). */
export function arityProblem(sig: RunSignature, inputNames: readonly string[]): { problem: string; fix: string } | undefined {
  const inputs = inputNames.length;
  if (inputs === 0) return undefined;
  const args = (n: number) => `${n} argument${n === 1 ? '' : 's'}`;
  const have = `${inputs} input${inputs === 1 ? '' : 's'} (${inputNames.join(', ')})`;
  if (sig.generator) {
    return {
      problem: `run() is a generator, but the job has ${have}; generators are for sources only`,
      fix: 'make run() a plain or async method that returns one value per round, or remove the inputs',
    };
  }
  if (sig.required > inputs) {
    return {
      problem: `run() needs ${args(sig.required)}, but the job has ${have}`,
      fix: `list ${sig.required} pipes under inputs, or give the extra parameters default values`,
    };
  }
  const variadic = sig.rest || sig.usesArguments || sig.declared === undefined;
  if (!variadic && sig.declared! < inputs) {
    return {
      problem: `run() takes ${args(sig.declared!)}, but the job has ${have}`,
      fix: 'add one parameter per input, in the order of inputs, or take them all with run(...inputs)',
    };
  }
  return undefined;
}

/** Top-level parameters of a function's source text (arrows, methods, generators), or undefined. */
export function parameterList(text: string): string[] | undefined {
  const bareArrow = /^\s*(?:async\s+)?([A-Za-z_$][\w$]*)\s*=>/.exec(text);
  if (bareArrow) return [bareArrow[1]!];
  const open = text.indexOf('(');
  if (open < 0) return undefined;
  const close = matchingParen(text, open);
  if (close < 0) return undefined;
  return splitTopLevel(text.slice(open + 1, close))
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
}

function bodyOf(text: string): string {
  const open = text.indexOf('(');
  const close = open < 0 ? -1 : matchingParen(text, open);
  return close < 0 ? text : text.slice(close + 1);
}

const OPENERS: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

/** Index of the `)` that closes text[open], skipping strings, template literals and comments. */
function matchingParen(text: string, open: number): number {
  const stack: string[] = [];
  for (let i = open; i < text.length; i++) {
    const c = text[i]!;
    const skipTo = skipLiteral(text, i);
    if (skipTo !== i) {
      i = skipTo;
      continue;
    }
    if (OPENERS[c] !== undefined) stack.push(OPENERS[c]!);
    else if (c === stack[stack.length - 1]) {
      stack.pop();
      if (stack.length === 0) return i;
    }
  }
  return -1;
}

function splitTopLevel(params: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < params.length; i++) {
    const skipTo = skipLiteral(params, i);
    if (skipTo !== i) {
      i = skipTo;
      continue;
    }
    const c = params[i]!;
    if (c in OPENERS) depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(params.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(params.slice(start));
  return parts;
}

/** If a string, template or comment starts at i, the index of its last character; else i. */
function skipLiteral(text: string, i: number): number {
  const c = text[i];
  if (c === '"' || c === "'" || c === '`') {
    for (let j = i + 1; j < text.length; j++) {
      if (text[j] === '\\') j++;
      else if (text[j] === c) return j;
    }
    return text.length;
  }
  if (c === '/' && text[i + 1] === '/') {
    const end = text.indexOf('\n', i);
    return end < 0 ? text.length : end;
  }
  if (c === '/' && text[i + 1] === '*') {
    const end = text.indexOf('*/', i + 2);
    return end < 0 ? text.length : end + 1;
  }
  return i;
}
