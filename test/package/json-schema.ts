/**
 * A JSON Schema (draft-07) checker for the keywords schema/kvrc.schema.json uses and no more,
 * so that a test can hold examples against the schema without a validator package. `KEYWORDS`
 * lists what it knows: the schema test fails if the schema uses another.
 */

/** A schema: an object of keywords, or true / false. */
export type Schema = boolean | { readonly [keyword: string]: unknown };

/** Every keyword `check` understands (annotations included: they check nothing). */
export const KEYWORDS = new Set(['$schema', '$ref', 'title', 'description', 'default', 'definitions', 'type', 'enum', 'pattern', 'minLength', 'minimum', 'maximum', 'minItems', 'maxItems', 'items', 'required', 'minProperties', 'properties', 'additionalProperties', 'propertyNames', 'allOf', 'anyOf', 'oneOf', 'not']);

type Json = unknown;
type Obj = Record<string, Json>;

const isObject = (v: Json): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

const TYPES: Record<string, (v: Json) => boolean> = {
  object: isObject,
  array: Array.isArray,
  string: (v) => typeof v === 'string',
  integer: (v) => Number.isInteger(v),
  number: (v) => typeof v === 'number',
  boolean: (v) => typeof v === 'boolean',
  null: (v) => v === null,
};

/** The schema at a local `$ref` (`#/definitions/x/properties/y`). */
export function resolveRef(root: Schema, ref: string): Schema {
  if (!ref.startsWith('#')) throw new Error(`only local $refs are supported, got ${ref}`);
  let at: Json = root;
  for (const part of ref.slice(1).split('/').slice(1)) {
    const key = part.replaceAll('~1', '/').replaceAll('~0', '~');
    at = Array.isArray(at) ? at[Number(key)] : isObject(at) ? at[key] : undefined;
    if (at === undefined) throw new Error(`$ref ${ref} points at nothing`);
  }
  return at as Schema;
}

/** The places where `value` breaks `schema`, as `path: why` (none: it conforms). */
export function check(root: Schema, value: Json, schema: Schema = root, path = '$'): string[] {
  if (schema === true) return [];
  if (schema === false) return [`${path}: not allowed here`];
  const s = schema;
  const out: string[] = [];
  const sub = (v: Json, sch: unknown, p: string): string[] => check(root, v, sch as Schema, p);
  if (typeof s['$ref'] === 'string') out.push(...sub(value, resolveRef(root, s['$ref']), path));
  if (s['type'] !== undefined) {
    const types = [s['type']].flat() as string[];
    if (!types.some((t) => TYPES[t]?.(value) === true)) return [...out, `${path}: expected ${types.join(' or ')}, got ${JSON.stringify(value)}`];
  }
  if (Array.isArray(s['enum']) && !s['enum'].some((e) => JSON.stringify(e) === JSON.stringify(value))) out.push(`${path}: expected one of ${JSON.stringify(s['enum'])}, got ${JSON.stringify(value)}`);
  if (typeof value === 'string') {
    if (typeof s['minLength'] === 'number' && [...value].length < s['minLength']) out.push(`${path}: shorter than ${s['minLength']}`);
    if (typeof s['pattern'] === 'string' && !new RegExp(s['pattern'], 'u').test(value)) out.push(`${path}: ${JSON.stringify(value)} does not match ${s['pattern']}`);
  }
  if (typeof value === 'number') {
    if (typeof s['minimum'] === 'number' && value < s['minimum']) out.push(`${path}: below ${s['minimum']}`);
    if (typeof s['maximum'] === 'number' && value > s['maximum']) out.push(`${path}: above ${s['maximum']}`);
  }
  if (Array.isArray(value)) {
    if (typeof s['minItems'] === 'number' && value.length < s['minItems']) out.push(`${path}: fewer than ${s['minItems']} items`);
    if (typeof s['maxItems'] === 'number' && value.length > s['maxItems']) out.push(`${path}: more than ${s['maxItems']} items`);
    if (s['items'] !== undefined) value.forEach((v, i) => out.push(...sub(v, s['items'], `${path}[${i}]`)));
  }
  if (isObject(value)) {
    const props = (s['properties'] ?? {}) as Obj;
    for (const key of (s['required'] ?? []) as string[]) if (!Object.hasOwn(value, key)) out.push(`${path}: missing ${key}`);
    if (typeof s['minProperties'] === 'number' && Object.keys(value).length < s['minProperties']) out.push(`${path}: fewer than ${s['minProperties']} keys`);
    for (const [key, v] of Object.entries(value)) {
      if (s['propertyNames'] !== undefined) out.push(...sub(key, s['propertyNames'], `${path} key ${JSON.stringify(key)}`));
      if (Object.hasOwn(props, key)) out.push(...sub(v, props[key], `${path}.${key}`));
      else if (s['additionalProperties'] !== undefined) out.push(...sub(v, s['additionalProperties'], `${path}.${key}`));
    }
  }
  for (const sch of (s['allOf'] ?? []) as unknown[]) out.push(...sub(value, sch, path));
  const passing = (list: unknown): number => ((list ?? []) as unknown[]).filter((sch) => sub(value, sch, path).length === 0).length;
  if (s['anyOf'] !== undefined && passing(s['anyOf']) === 0) out.push(`${path}: matches none of anyOf`);
  if (s['oneOf'] !== undefined && passing(s['oneOf']) !== 1) out.push(`${path}: matches ${passing(s['oneOf'])} of oneOf, not exactly one`);
  if (s['not'] !== undefined && sub(value, s['not'], path).length === 0) out.push(`${path}: matches what "not" excludes`);
  return out;
}

/** Every keyword used anywhere in `schema` (the names under `properties` and `definitions` are names, not keywords). */
export function keywordsOf(schema: Json): Set<string> {
  const found = new Set<string>();
  const walk = (s: Json): void => {
    if (Array.isArray(s)) return s.forEach(walk);
    if (!isObject(s)) return;
    for (const [k, v] of Object.entries(s)) {
      found.add(k);
      if (k === 'properties' || k === 'definitions') Object.values(v as Obj).forEach(walk);
      else if (k !== 'enum' && k !== 'default' && k !== 'required') walk(v);
    }
  };
  walk(schema);
  return found;
}

/** The schema at `ref`, through a described reference (`{ description, allOf: [{ $ref }] }`). */
export function described(root: Schema, ref: string): Obj {
  const s = resolveRef(root, ref) as Obj;
  const inner = (s['allOf'] as Obj[] | undefined)?.[0]?.['$ref'];
  return typeof inner === 'string' && s['type'] === undefined ? { ...described(root, inner), ...s } : s;
}

/** The property names of the schema at `ref`, sorted. */
export function propertiesAt(root: Schema, ref: string): string[] {
  return Object.keys(described(root, ref)['properties'] as Obj).sort();
}

/** What a validator that throws a KvError with issues reports for `value`, as `path: message` (none: valid). */
export function issuesOf(validate: (value: unknown) => unknown, value: unknown): string[] {
  try {
    validate(value);
    return [];
  } catch (e) {
    const issues = (e as { issues?: { path: string; message: string }[] }).issues;
    if (issues === undefined) throw e;
    return issues.map((i) => `${i.path}: ${i.message}`);
  }
}
