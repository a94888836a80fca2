/**
 * `marvelo run --set/--env/--args/--timeout/--max-retries` as RunOverrides. `--set` values are read as
 * YAML (5 is a number, '5' a text, [1, 2] a list) except below env, where every value is a text;
 * `--env` values are texts; `--args job='...'` is split like a shell would (quotes and backslashes, no
 * variables, globs or commands: no shell runs) or, when it starts with `[`, read as a YAML list.
 */
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { MarveloError } from '../errors.js';
import type { RunOverrides } from '../config/overrides.js';

export interface OverrideFlags {
  set?: string[];
  env?: string[];
  args?: string[];
  timeout?: string;
  maxRetries?: string;
}

/** Commander's collector of a repeated option. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** The override options of `run`, `validate` and `plan`; `scope` ends each description ("for this run"). */
export function withOverrideOptions(cmd: Command, scope: string): Command {
  return cmd
    .option('--set <path=value>', `override a value of the network file ${scope}, e.g. jobs.count.params.start=5 (a YAML value; repeatable)`, collect)
    .option('--env <K=V>', `an environment variable of every job ${scope} (repeatable)`, collect)
    .option('--args <job=args>', `replace an executable job's args ${scope}, e.g. filter='-n 3' (split as a shell would, or a YAML list [a, b]; repeatable)`, collect)
    .option('--timeout <duration>', `override the network's timeout ${scope}, e.g. 30m`)
    .option('--max-retries <n>', `override the network's max_retries ${scope}`);
}

export function overridesOf(flags: OverrideFlags): RunOverrides | undefined {
  const overrides: RunOverrides = {};
  for (const text of flags.set ?? []) {
    const [path, value] = keyValue('--set', text, 'e.g. --set jobs.count.params.start=5');
    overrides.set = { ...overrides.set, [path]: /(^|\.)env\.[^.]+$/.test(path) ? value : yamlValue('--set', text, value) };
  }
  for (const text of flags.env ?? []) {
    const [key, value] = keyValue('--env', text, 'e.g. --env LEVEL=3');
    overrides.env = { ...overrides.env, [key]: value };
  }
  for (const text of flags.args ?? []) {
    const [job, value] = keyValue('--args', text, "e.g. --args filter='-n 3 --fast'");
    overrides.args = { ...overrides.args, [job]: argvOf(text, value) };
  }
  if (flags.timeout !== undefined) overrides.timeout = flags.timeout;
  if (flags.maxRetries !== undefined) {
    const n = Number(flags.maxRetries);
    if (!/^\d+$/.test(flags.maxRetries.trim()) || !Number.isSafeInteger(n)) {
      throw new MarveloError('MRV_CLI_OPTION', `--max-retries ${flags.maxRetries} is not a whole number >= 0`, { hint: 'e.g. --max-retries 1' });
    }
    overrides.maxRetries = n;
  }
  return Object.keys(overrides).length > 0 ? overrides : undefined;
}

function keyValue(option: string, text: string, example: string): [string, string] {
  const at = text.indexOf('=');
  if (at <= 0) throw new MarveloError('MRV_CLI_OPTION', `${option} ${text} is not <key>=<value>`, { hint: example });
  return [text.slice(0, at), text.slice(at + 1)];
}

function yamlValue(option: string, text: string, value: string): unknown {
  try {
    return parseYaml(value);
  } catch (e) {
    throw new MarveloError('MRV_CLI_OPTION', `${option} ${text}: the value is not a YAML value (${(e as Error).message.split('\n')[0]})`, {
      hint: "quote a text that holds YAML's special characters, e.g. --set jobs.a.params.label='\"a: b\"'",
    });
  }
}

function argvOf(text: string, value: string): string[] {
  if (value.trimStart().startsWith('[')) {
    const list = yamlValue('--args', text, value);
    if (Array.isArray(list) && list.every((a) => typeof a === 'string' || typeof a === 'number')) return list.map(String);
    throw new MarveloError('MRV_CLI_OPTION', `--args ${text}: a list of arguments holds only texts and numbers`, { hint: "e.g. --args filter='[-n, 3]'" });
  }
  const argv = splitArgs(value);
  if (argv === undefined) throw new MarveloError('MRV_CLI_OPTION', `--args ${text}: a quote is not closed`, { hint: "close every ' and \" (a backslash escapes one character)" });
  return argv;
}

/** Splits a command line into words as a POSIX shell does for quotes and backslashes; undefined when a quote is open. */
export function splitArgs(line: string): string[] | undefined {
  const words: string[] = [];
  let word: string | undefined;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1]!)) word += line[++i];
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      word ??= '';
    } else if (c === '\\' && i + 1 < line.length) {
      word = (word ?? '') + line[++i];
    } else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else {
      word = (word ?? '') + c;
    }
  }
  if (quote !== undefined) return undefined;
  if (word !== undefined) words.push(word);
  return words;
}
