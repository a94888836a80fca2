import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { RESOLVED_KEYS } from '../../src/config/raw.js';
import { CLUSTER_SCHEMA, NETWORK_SCHEMA, networkJsonSchema } from '../../src/config/schema.js';
import { SUPPORTED_KEYWORDS, type Schema, type SchemaObject } from '../../src/config/validate-schema.js';
import { fixture } from './helpers.js';

/** Every keyword of JSON Schema draft 2020-12 (core, applicator, validation, meta-data, format, content). */
const DRAFT_2020_12_KEYWORDS = new Set([
  '$schema', '$id', '$ref', '$anchor', '$dynamicRef', '$dynamicAnchor', '$vocabulary', '$comment', '$defs',
  'allOf', 'anyOf', 'oneOf', 'not', 'if', 'then', 'else', 'dependentSchemas', 'prefixItems', 'items', 'contains',
  'properties', 'patternProperties', 'additionalProperties', 'propertyNames', 'unevaluatedItems', 'unevaluatedProperties',
  'type', 'enum', 'const', 'multipleOf', 'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum', 'maxLength',
  'minLength', 'pattern', 'maxItems', 'minItems', 'uniqueItems', 'maxContains', 'minContains', 'maxProperties',
  'minProperties', 'required', 'dependentRequired', 'title', 'description', 'default', 'deprecated', 'readOnly',
  'writeOnly', 'examples', 'format', 'contentEncoding', 'contentMediaType', 'contentSchema',
]);
const TYPES = new Set(['object', 'array', 'string', 'integer', 'number', 'boolean', 'null']);
const SCHEMA_VALUED = ['additionalProperties', 'propertyNames', 'items', 'if', 'then', 'else', 'not'] as const;
const SCHEMA_LIST_VALUED = ['anyOf', 'oneOf', 'allOf'] as const;

/** Visits every subschema with its JSON pointer. */
function walk(schema: Schema, pointer: string, visit: (s: SchemaObject, pointer: string) => void): void {
  if (typeof schema === 'boolean') return;
  visit(schema, pointer);
  for (const [name, sub] of Object.entries(schema.properties ?? {})) walk(sub, `${pointer}/properties/${name}`, visit);
  for (const [name, sub] of Object.entries(schema.$defs ?? {})) walk(sub, `${pointer}/$defs/${name}`, visit);
  for (const key of SCHEMA_VALUED) {
    const sub = (schema as Record<string, unknown>)[key] as Schema | undefined;
    if (sub !== undefined) walk(sub, `${pointer}/${key}`, visit);
  }
  for (const key of SCHEMA_LIST_VALUED) (schema[key] ?? []).forEach((sub, i) => walk(sub, `${pointer}/${key}/${i}`, visit));
}

function resolved(schema: Schema): SchemaObject {
  if (typeof schema === 'boolean') throw new Error('boolean schema');
  if (schema.$ref === undefined) return schema;
  return resolved(NETWORK_SCHEMA.$defs[schema.$ref.replace('#/$defs/', '') as keyof typeof NETWORK_SCHEMA.$defs]);
}

const defs = NETWORK_SCHEMA.$defs;
const propertiesOf = (s: Schema) => Object.keys(resolved(s).properties ?? {}).sort();

describe('config - JSON Schema', () => {
  it('is a draft 2020-12 schema made of known keywords only', () => {
    expect(NETWORK_SCHEMA.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    for (const k of SUPPORTED_KEYWORDS) expect(DRAFT_2020_12_KEYWORDS.has(k), k).toBe(true);
    walk(NETWORK_SCHEMA, '#', (s, pointer) => {
      for (const key of Object.keys(s)) expect(SUPPORTED_KEYWORDS as readonly string[], `${pointer}: ${key}`).toContain(key);
    });
  });

  it('has well-formed values for every keyword', () => {
    walk(NETWORK_SCHEMA, '#', (s, pointer) => {
      const types = s.type === undefined ? [] : typeof s.type === 'string' ? [s.type] : s.type;
      for (const t of types) expect(TYPES.has(t), `${pointer}: type ${t}`).toBe(true);
      if (s.$ref !== undefined) expect(resolved(s), `${pointer}: $ref ${s.$ref}`).toBeTypeOf('object');
      if (s.pattern !== undefined) expect(() => new RegExp(s.pattern!, 'u'), pointer).not.toThrow();
      if (s.enum !== undefined) {
        expect(s.enum.length, pointer).toBeGreaterThan(0);
        expect(new Set(s.enum).size, pointer).toBe(s.enum.length);
      }
      if (s.required !== undefined && s.properties !== undefined) {
        for (const key of s.required) expect(Object.keys(s.properties), `${pointer}: required ${key}`).toContain(key);
      }
      for (const k of ['minimum', 'maximum', 'minLength', 'minItems'] as const) {
        if (s[k] !== undefined) expect(Number.isFinite(s[k]), `${pointer}: ${k}`).toBe(true);
      }
    });
  });

  it('only requires keys that its object declares (also inside if/then/else and oneOf)', () => {
    for (const name of ['job', 'pipe', 'node'] as const) {
      const object = resolved(defs[name]);
      const declared = Object.keys(object.properties ?? {});
      walk(object, `#/$defs/${name}`, (s, pointer) => {
        if (pointer.includes('/properties/')) return;
        for (const key of s.required ?? []) expect(declared, `${pointer}: ${key}`).toContain(key);
        for (const key of Object.keys(s.properties ?? {})) expect(declared, `${pointer}: ${key}`).toContain(key);
      });
    }
  });

  it('is plain JSON, and networkJsonSchema() returns a copy of it', () => {
    const printed = networkJsonSchema();
    expect(JSON.parse(JSON.stringify(printed))).toEqual(NETWORK_SCHEMA);
    (printed as { title: string }).title = 'changed';
    expect(NETWORK_SCHEMA.title).toBe('marvelo network file');
  });

  it('declares exactly the keys the resolver reads', () => {
    const keys = (o: object) => Object.keys(o).sort();
    expect(propertiesOf(NETWORK_SCHEMA)).toEqual(keys(RESOLVED_KEYS.network));
    expect(propertiesOf(defs.job)).toEqual(keys(RESOLVED_KEYS.job));
    expect(propertiesOf(defs.pipe)).toEqual(keys(RESOLVED_KEYS.pipe));
    expect(propertiesOf(defs.pipe.properties.optional)).toEqual(keys(RESOLVED_KEYS.optional));
    expect(propertiesOf(defs.node)).toEqual(keys(RESOLVED_KEYS.node));
    expect(propertiesOf(CLUSTER_SCHEMA)).toEqual(keys(RESOLVED_KEYS.cluster));
    expect(propertiesOf(defs.hooks)).toEqual(keys(RESOLVED_KEYS.hooks));
    expect(propertiesOf(defs.schedule)).toEqual(keys(RESOLVED_KEYS.schedule));
  });

  it('every key it declares is accepted by the validator (the valid fixtures use them all)', () => {
    const used = { network: new Set<string>(), job: new Set<string>(), pipe: new Set<string>(), optional: new Set<string>(), node: new Set<string>() };
    for (const file of ['demo.yaml', 'full.yaml', 'replicas.yaml']) {
      const doc = parse(readFileSync(fixture('networks', file), 'utf8')) as Record<string, unknown>;
      Object.keys(doc).forEach((k) => used.network.add(k));
      for (const job of doc['jobs'] as object[]) Object.keys(job).forEach((k) => used.job.add(k));
      for (const pipe of Object.values((doc['pipes'] ?? {}) as Record<string, Record<string, unknown>>)) {
        Object.keys(pipe).forEach((k) => used.pipe.add(k));
        if (pipe['optional']) Object.keys(pipe['optional']).forEach((k) => used.optional.add(k));
      }
      for (const node of (doc['nodes'] ?? []) as object[]) Object.keys(node).forEach((k) => used.node.add(k));
    }
    // The valid fixtures load without errors (load.test.ts), so every key below passed the validator.
    expect([...used.network].sort()).toEqual(propertiesOf(NETWORK_SCHEMA));
    expect([...used.job].sort()).toEqual(propertiesOf(defs.job));
    expect([...used.pipe].sort()).toEqual(propertiesOf(defs.pipe));
    expect([...used.optional].sort()).toEqual(propertiesOf(defs.pipe.properties.optional));
    expect([...used.node].sort()).toEqual(propertiesOf(defs.node));
  });
});
