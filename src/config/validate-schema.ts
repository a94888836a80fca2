/**
 * Validates the YAML document against the JSON Schema by walking the YAML nodes themselves, so every
 * error points at the offending key or value (phase 2). Understands the subset of JSON Schema listed in
 * SUPPORTED_KEYWORDS; a test keeps schema.ts within it. `oneOf` is only used with `required`-only branches
 * ("exactly one of these keys"), and its messages say so.
 */
import { isMap, isNode, isScalar, isSeq, type YAMLMap } from 'yaml';
import { MarveloError, type SourceLocation } from '../errors.js';
import { NETWORK_SCHEMA } from './schema.js';
import { named, quoted } from './shown.js';
import { keyText, type DocPath, type YamlSource } from './source.js';
import { closest, didYouMean } from './suggest.js';
import { describe, describeCondition, hintOf, label as labelOf, lastKey, typeWords } from './schema-messages.js';
import { kindOf, scalarValue, typeAccepts, type Kind } from './yaml-values.js';

export interface SchemaObject {
  readonly $ref?: string;
  readonly type?: string | readonly string[];
  readonly properties?: { readonly [key: string]: Schema };
  readonly additionalProperties?: Schema;
  readonly propertyNames?: Schema;
  readonly required?: readonly string[];
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly pattern?: string;
  readonly minLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly items?: Schema;
  readonly minItems?: number;
  readonly anyOf?: readonly Schema[];
  readonly oneOf?: readonly Schema[];
  readonly allOf?: readonly Schema[];
  readonly if?: Schema;
  readonly then?: Schema;
  readonly else?: Schema;
  readonly description?: string;
  readonly $defs?: { readonly [name: string]: Schema };
}
export type Schema = boolean | SchemaObject;

/** Keywords this validator understands; anything else in schema.ts would be silently ignored. */
export const SUPPORTED_KEYWORDS = [
  '$schema', '$id', '$defs', '$ref', 'title', 'description',
  'type', 'properties', 'additionalProperties', 'propertyNames', 'required',
  'enum', 'const', 'pattern', 'minLength', 'minimum', 'maximum', 'items', 'minItems',
  'anyOf', 'oneOf', 'allOf', 'if', 'then', 'else',
] as const;

interface Issue {
  path: DocPath;
  where: SourceLocation;
  message: string;
  hint: string;
}

/** Why a conditional (if/then/else) rule applies, and where its condition is written. */
interface Condition {
  because: string;
  at: SourceLocation | undefined;
  description: string | undefined;
}

/** What a file is, for messages about it as a whole. */
export interface FileKind {
  /** e.g. 'the network file' */
  name: string;
  /** What an empty one should hold. */
  emptyHint: string;
}

export const NETWORK_FILE: FileKind = {
  name: 'the network file',
  emptyHint: 'a network file is a map with at least `jobs:`, e.g. jobs: [{ name: a, uses: ./a.ts }]',
};

export function validateAgainstSchema(src: YamlSource, schema: SchemaObject = NETWORK_SCHEMA, kind: FileKind = NETWORK_FILE): MarveloError[] {
  const validator = new Validator(src, schema, kind.name);
  const root = src.doc.contents;
  if (root === null) {
    return [new MarveloError('MRV_CONFIG_SCHEMA', `${kind.name} is empty`, { where: src.at(0), hint: kind.emptyHint })];
  }
  const issues = validator.check(root, schema, [], src.ofNode(root), undefined);
  issues.sort((a, b) => a.where.line - b.where.line || a.where.col - b.where.col);
  return issues.map((i) => toError(src, i));
}

class Validator {
  constructor(
    private readonly src: YamlSource,
    private readonly root: SchemaObject,
    private readonly fileName: string,
  ) {}

  private label(path: DocPath): string {
    return labelOf(path, this.fileName);
  }

  check(rawNode: unknown, schema: Schema, path: DocPath, at: SourceLocation, cond: Condition | undefined): Issue[] {
    const node = this.src.deref(rawNode);
    if (schema === true) return [];
    if (schema === false) return [this.notAllowed(path, at, cond)];
    if (schema.$ref !== undefined) {
      const target = this.resolveRef(schema.$ref);
      const merged = typeof target === 'object' ? { ...target, description: schema.description ?? target.description } : target;
      return this.check(node, merged, path, at, cond);
    }
    const kind = kindOf(node);
    if (schema.type !== undefined && !typeAccepts(schema.type, kind)) {
      return [{ path, where: at, message: `${this.label(path)} must be ${typeWords(schema.type)}, not ${describe(node)}`, hint: hintOf(schema) }];
    }
    const issues: Issue[] = [];
    if (schema.enum !== undefined && !schema.enum.some((v) => v === scalarValue(node))) issues.push(this.enumIssue(node, schema, path, at, []));
    if (schema.const !== undefined && scalarValue(node) !== schema.const) {
      const because = cond ? ` ${cond.because}` : '';
      issues.push({ path, where: at, message: `${this.label(path)} must be ${JSON.stringify(schema.const)}${because}`, hint: cond?.description ?? hintOf(schema) });
    }
    if (kind === 'string') issues.push(...this.checkString(String(scalarValue(node)), schema, path, at));
    if (kind === 'integer' || kind === 'number') issues.push(...this.checkNumber(Number(scalarValue(node)), schema, path, at));
    if (kind === 'array' && isSeq(node)) issues.push(...this.checkArray(node.items, schema, path, at));
    if (kind === 'object' && isMap(node)) issues.push(...this.checkMap(node, schema, path, at, cond));
    if (schema.anyOf !== undefined) issues.push(...this.checkAnyOf(node, schema, schema.anyOf, path, at));
    if (schema.oneOf !== undefined && isMap(node)) issues.push(...this.checkOneOfKeys(node, schema.oneOf, path, at));
    for (const sub of schema.allOf ?? []) issues.push(...this.check(node, sub, path, at, cond));
    if (schema.if !== undefined) issues.push(...this.checkConditional(node, schema, path, at));
    return issues;
  }

  private checkString(value: string, schema: SchemaObject, path: DocPath, at: SourceLocation): Issue[] {
    if (schema.minLength !== undefined && value.length < schema.minLength) {
      return [{ path, where: at, message: `${this.label(path)} must not be empty`, hint: hintOf(schema) }];
    }
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) {
      return [{ path, where: at, message: `${quoted(value)} is not a valid ${this.label(path)}`, hint: hintOf(schema) }];
    }
    return [];
  }

  private checkNumber(value: number, schema: SchemaObject, path: DocPath, at: SourceLocation): Issue[] {
    const { minimum: min, maximum: max } = schema;
    if ((min === undefined || value >= min) && (max === undefined || value <= max)) return [];
    const range = min !== undefined && max !== undefined ? `between ${min} and ${max}` : min !== undefined ? `>= ${min}` : `<= ${max}`;
    return [{ path, where: at, message: `${this.label(path)} must be ${range}, not ${value}`, hint: hintOf(schema) }];
  }

  private checkArray(items: unknown[], schema: SchemaObject, path: DocPath, at: SourceLocation): Issue[] {
    const issues: Issue[] = [];
    if (schema.minItems !== undefined && items.length < schema.minItems) {
      issues.push({ path, where: at, message: `${this.label(path)} must have at least ${schema.minItems} item${schema.minItems === 1 ? '' : 's'}`, hint: hintOf(schema) });
    }
    if (schema.items !== undefined) {
      items.forEach((item, i) => issues.push(...this.check(item, schema.items!, [...path, i], this.src.ofNode(item), undefined)));
    }
    return issues;
  }

  private checkMap(node: YAMLMap, schema: SchemaObject, path: DocPath, at: SourceLocation, cond: Condition | undefined): Issue[] {
    const issues: Issue[] = [];
    const props = schema.properties ?? {};
    const present = new Set<string>();
    for (const pair of node.items) {
      const key = keyText(pair.key);
      const keyAt = this.src.ofNode(pair.key);
      if (key === undefined) {
        issues.push({ path, where: keyAt, message: 'a map key must be a plain name', hint: 'write keys as name: value' });
        continue;
      }
      present.add(key);
      const valueAt = isNode(pair.value) && pair.value.range ? this.src.ofNode(pair.value) : keyAt;
      const childPath = [...path, key];
      if (schema.propertyNames !== undefined) issues.push(...this.check(pair.key, schema.propertyNames, childPath, keyAt, undefined));
      const propSchema = props[key];
      if (propSchema === false) {
        issues.push(this.notAllowed(childPath, keyAt, cond));
      } else if (propSchema !== undefined) {
        issues.push(...this.check(pair.value, propSchema, childPath, valueAt, cond));
      } else if (schema.additionalProperties === false) {
        issues.push(this.unknownKey(key, Object.keys(props), path, keyAt));
      } else if (schema.additionalProperties !== undefined) {
        issues.push(...this.check(pair.value, schema.additionalProperties, childPath, valueAt, undefined));
      }
    }
    for (const key of schema.required ?? []) {
      if (present.has(key)) continue;
      const because = cond ? ` (needed ${cond.because})` : '';
      issues.push({
        path,
        where: cond?.at ?? at,
        message: `${this.containerLabel(path)} is missing the required key '${key}'${because}`,
        hint: cond?.description ?? `add ${key}: ${hintOf(this.propertySchema(props[key])) || '...'}`,
      });
    }
    return issues;
  }

  /** anyOf: valid if one branch is; otherwise report what the most likely intended branch expected. */
  private checkAnyOf(node: unknown, schema: SchemaObject, branches: readonly Schema[], path: DocPath, at: SourceLocation): Issue[] {
    const results = branches.map((b) => this.check(node, b, path, at, undefined));
    if (results.some((r) => r.length === 0)) return [];
    const kind = kindOf(node);
    const accepting = branches.map((b, i) => ({ b, i })).filter(({ b }) => branchAcceptsKind(this.deref(b), kind, node));
    if (accepting.length === 0) {
      const types = [...new Set(branches.flatMap((b) => branchTypes(this.deref(b))))];
      return [{ path, where: at, message: `${this.label(path)} must be ${typeWords(types)}, not ${describe(node)}`, hint: hintOf(schema) }];
    }
    if (accepting.length === 1) return results[accepting[0]!.i]!;
    const enumBranch = accepting.find(({ b }) => typeof this.deref(b) === 'object' && (this.deref(b) as SchemaObject).enum);
    if (enumBranch !== undefined && kind === 'string') {
      const others = accepting.filter((a) => a !== enumBranch).map(({ b }) => hintOf(this.deref(b))).filter(Boolean);
      return [this.enumIssue(node, this.deref(enumBranch.b) as SchemaObject, path, at, others)];
    }
    return results[accepting[0]!.i]!;
  }

  /** oneOf with `required`-only branches: exactly one of these keys. */
  private checkOneOfKeys(node: YAMLMap, branches: readonly Schema[], path: DocPath, at: SourceLocation): Issue[] {
    const keys = branches.flatMap((b) => (typeof b === 'object' ? (b.required ?? []) : []));
    const given = node.items.filter((p) => keys.includes(keyText(p.key) ?? ''));
    const quoted = keys.map((k) => `'${k}'`);
    const names = quoted.join(' or ');
    const hint = `give exactly one of ${keys.map((k) => `${k} (${hintOf(this.propertySchemaOf(path, k))})`).join(', or ')}`;
    if (given.length === 0) {
      return [{ path, where: at, message: `${this.containerLabel(path)} needs ${names}`, hint }];
    }
    if (given.length > 1) {
      const second = given[1]!;
      return [{ path, where: this.src.ofNode(second.key), message: `${this.containerLabel(path)} has both ${quoted.join(' and ')}; only one is allowed`, hint }];
    }
    return [];
  }

  private checkConditional(node: unknown, schema: SchemaObject, path: DocPath, at: SourceLocation): Issue[] {
    const holds = this.check(node, schema.if!, path, at, undefined).length === 0;
    const branch = holds ? schema.then : schema.else;
    if (branch === undefined) return [];
    const cond: Condition = {
      because: describeCondition(schema.if!, holds, node),
      at: conditionLocation(this.src, schema.if!, node),
      description: typeof branch === 'object' ? branch.description : undefined,
    };
    return this.check(node, branch, path, at, cond);
  }

  private enumIssue(node: unknown, schema: SchemaObject, path: DocPath, at: SourceLocation, otherForms: string[]): Issue {
    const allowed = (schema.enum ?? []).map((v) => String(v));
    const value = scalarValue(node);
    const alternatives = `use one of: ${allowed.join(', ')}${otherForms.length ? `, or ${otherForms.join(', or ')}` : ''}`;
    if (typeof value === 'string') {
      return { path, where: at, message: `unknown ${lastKey(path)} ${named(value)}`, hint: `${didYouMean(value, allowed)}${alternatives}` };
    }
    return { path, where: at, message: `${this.label(path)} must be one of ${allowed.join(', ')}, not ${describe(node)}`, hint: alternatives };
  }

  private unknownKey(key: string, allowed: string[], path: DocPath, at: SourceLocation): Issue {
    const suggestion = closest(key, allowed);
    const hint = suggestion !== undefined ? `did you mean '${suggestion}'?` : `allowed keys here: ${allowed.join(', ')}`;
    return { path: [...path, key], where: at, message: `unknown key ${named(key)} in ${this.containerLabel(path)}`, hint };
  }

  private notAllowed(path: DocPath, at: SourceLocation, cond: Condition | undefined): Issue {
    const because = cond ? ` ${cond.because}` : '';
    return { path, where: at, message: `${this.label(path)} is not allowed${because}`, hint: cond?.description ?? `remove ${lastKey(path)}` };
  }

  /** "the network file", "job 'count1'" (or "job 2" without a name), "pipe 'p1'", "node 'pi-1'", "'optional'". */
  private containerLabel(path: DocPath): string {
    const [area, id] = path;
    if (path.length === 2 && area === 'pipes') return `pipe ${named(String(id))}`;
    if (path.length === 2 && (area === 'jobs' || area === 'nodes') && typeof id === 'number') {
      const namePath = [...path, 'name'];
      const nameNode = this.src.nodeAt(area === 'nodes' && !this.src.nodeAt(namePath) ? [...path, 'host'] : namePath);
      if (isScalar(nameNode) && typeof nameNode.value === 'string') return `${area === 'jobs' ? 'job' : 'node'} ${named(nameNode.value)}`;
    }
    return this.label(path);
  }

  private resolveRef(ref: string): Schema {
    const name = ref.replace(/^#\/\$defs\//, '');
    const target = this.root.$defs?.[name];
    if (target === undefined) throw new Error(`schema: unresolved $ref ${ref}`);
    return target;
  }

  private deref(schema: Schema): Schema {
    if (typeof schema === 'object' && schema.$ref !== undefined) {
      const target = this.resolveRef(schema.$ref);
      return typeof target === 'object' ? { ...target, description: schema.description ?? target.description } : target;
    }
    return schema;
  }

  private propertySchema(schema: Schema | undefined): Schema {
    return schema === undefined ? true : this.deref(schema);
  }

  /** The schema of key `key` in the object at `path` (for hints that describe a missing key). */
  private propertySchemaOf(path: DocPath, key: string): Schema {
    let schema: Schema = this.root;
    for (const step of path) {
      schema = this.deref(schema);
      if (typeof schema !== 'object') return true;
      schema = typeof step === 'number' ? (schema.items ?? true) : (schema.properties?.[step] ?? schema.additionalProperties ?? true);
    }
    schema = this.deref(schema);
    return typeof schema === 'object' ? this.propertySchema(schema.properties?.[key]) : true;
  }
}

function toError(src: YamlSource, issue: Issue): MarveloError {
  const [area, id] = issue.path;
  const details: { hint: string; where: SourceLocation; job?: string; pipe?: string } = { hint: issue.hint, where: issue.where };
  if (area === 'jobs' && typeof id === 'number') {
    const name = src.nodeAt(['jobs', id, 'name']);
    if (isScalar(name) && typeof name.value === 'string') details.job = name.value;
  }
  if (area === 'pipes' && id !== undefined) details.pipe = String(id);
  return new MarveloError('MRV_CONFIG_SCHEMA', issue.message, details);
}

function branchTypes(schema: Schema): string[] {
  if (typeof schema !== 'object') return [];
  if (schema.type !== undefined) return typeof schema.type === 'string' ? [schema.type] : [...schema.type];
  if (schema.enum !== undefined) return [...new Set(schema.enum.map((v) => (typeof v === 'number' ? 'number' : typeof v)))];
  return [];
}

function branchAcceptsKind(schema: Schema, kind: Kind, node: unknown): boolean {
  if (typeof schema !== 'object') return schema;
  if (schema.type !== undefined) return typeAccepts(schema.type, kind);
  if (schema.enum !== undefined) return schema.enum.some((v) => typeof v === typeof scalarValue(node));
  return true;
}

/** A conditional rule is reported where its condition is written, e.g. at `codec: bytes`. */
function conditionLocation(src: YamlSource, ifSchema: Schema, node: unknown): SourceLocation | undefined {
  if (typeof ifSchema !== 'object' || !isMap(node)) return undefined;
  const keys = [...Object.keys(ifSchema.properties ?? {}), ...(ifSchema.required ?? [])];
  for (const key of keys) {
    const pair = node.items.find((p) => keyText(p.key) === key);
    if (pair) return src.ofNode(pair.value ?? pair.key);
  }
  return undefined;
}
