/**
 * schema/kvrc.schema.json (shipped, for editors) says what `validateConfig` accepts: the same
 * keys at every level, the README table's keys, the defaults and the integer bounds; the repo's
 * kvrc.json and the README's examples conform to both. `$schema` is accepted and ignored.
 */
import test from 'ava';
import { readFileSync } from 'node:fs';
import { CONFIG_KEYS, defaults, validateConfig } from '../../src/core/config.js';
import type { KvConfig } from '../../src/core/config.js';
import { KvError } from '../../src/protocol/errors.js';
import { KEYWORDS, check, described, issuesOf, keywordsOf, propertiesAt } from './json-schema.js';
import type { Schema } from './json-schema.js';

const repo = new URL('../../../', import.meta.url);
const read = (path: string): string => readFileSync(new URL(path, repo), 'utf8');
const schema = JSON.parse(read('schema/kvrc.schema.json')) as Schema & Record<string, unknown>;
const readme = read('README.md');

type Obj = Record<string, unknown>;
const at = (ref: string): Obj => described(schema, ref);
const keys = (ref: string): string[] => propertiesAt(schema, ref);
const sorted = (list: readonly string[]): string[] => [...list].sort();

const issues = (value: unknown): string[] => issuesOf(validateConfig, value);

test('the schema uses only keywords the checker knows, and the checker catches what it is for', (t) => {
  t.deepEqual(
    [...keywordsOf(schema)].filter((k) => !KEYWORDS.has(k)),
    [],
  );
  t.deepEqual(check(schema, { nodes: { foo: { port: 4040 } } }), []);
  t.deepEqual(check(schema, { nodes: { foo: { port: 'x' } }, hopLimit: 2.5, colour: 'red' }), ['$.nodes: matches 0 of oneOf, not exactly one', '$.hopLimit: expected integer, got 2.5', '$.colour: not allowed here']);
  t.deepEqual(check(schema, { nodes: ['foo', { name: 'bar', storage: 'no' }], routingTable: [{ range: 'abc', node: 'foo' }, { node: 'foo' }] }), [
    '$.nodes: matches 0 of oneOf, not exactly one',
    // A table is one of three forms: a bad array of ranges matches none of them.
    '$.routingTable: matches 0 of oneOf, not exactly one',
  ]);
  t.deepEqual(check(schema, { nodes: {} }).length, 1);
  t.deepEqual(check(schema, { nodes: { a: {} }, modules: { 'KV.Bucket': './x.js' } }).length, 1);
});

test('every key validateConfig accepts is in the schema, at every level, and no other', (t) => {
  t.deepEqual(Object.keys(schema['properties'] as Obj).sort(), sorted(CONFIG_KEYS.top));
  t.deepEqual(keys('#/definitions/node'), sorted(CONFIG_KEYS.node));
  t.deepEqual(keys('#/definitions/namedNode'), sorted([...CONFIG_KEYS.node, 'name']));
  t.deepEqual(keys('#/definitions/entry'), sorted(CONFIG_KEYS.entry));
  t.deepEqual(keys('#/definitions/slotsTable'), sorted(CONFIG_KEYS.slotsTable));
  t.deepEqual(keys('#/definitions/slotEntry'), sorted(CONFIG_KEYS.slotEntry));
  t.deepEqual(keys('#/definitions/ringTable'), sorted(CONFIG_KEYS.ringTable));
  t.deepEqual(keys('#/definitions/ringTable/properties/ring'), sorted(CONFIG_KEYS.ring));
  t.deepEqual(keys('#/definitions/node/properties/resourceLimits'), sorted(CONFIG_KEYS.resourceLimits));
  const restart = at('#/definitions/node/properties/restart')['oneOf'] as Obj[];
  t.deepEqual(Object.keys(restart[1]?.['properties'] as Obj).sort(), sorted(CONFIG_KEYS.restart));
  const modules = (at('#/properties/modules')['additionalProperties'] as Obj)['oneOf'] as Obj[];
  t.deepEqual(Object.keys(modules[1]?.['properties'] as Obj).sort(), sorted(CONFIG_KEYS.module));
});

test('every key of the README configuration table is in the schema with a description, and the other way round', (t) => {
  const table = /\| key \| meaning \| default \|\n\|[-|]+\n((?:\|.*\n)+)/.exec(readme)?.[1];
  if (table === undefined) return t.fail('no configuration table in the README');
  const top = new Set<string>();
  const node = new Set<string>();
  for (const row of table.trim().split('\n')) {
    const cell = row.split('|')[1] ?? '';
    let prefix = '';
    for (const [, name = ''] of cell.matchAll(/`([^`]+)`/g)) {
      if (name.startsWith('nodes.X.')) prefix = 'nodes.X.';
      const key = name.replace(/^nodes\.X\./, '');
      (prefix === '' ? top : node).add(key);
    }
  }
  t.deepEqual([...top].sort(), Object.keys(schema['properties'] as Obj).sort());
  t.deepEqual([...node].sort(), keys('#/definitions/node'));
  for (const [name, props] of [
    ['top', schema['properties']],
    ['node', at('#/definitions/node')['properties']],
  ] as const) {
    for (const [key, s] of Object.entries(props as Obj)) t.is(typeof (s as Obj)['description'], 'string', `${name} ${key} has no description`);
  }
});

test('the schema gives the defaults validateConfig fills in', (t) => {
  for (const key of ['hopLimit', 'timeout', 'maxLineLength', 'maxReplyBytes', 'heartbeatMs', 'maxProcesses', 'maxMailbox'] as const) t.is(at(`#/properties/${key}`)['default'], defaults[key], key);
  t.is(at('#/definitions/node/properties/host')['default'], defaults.host);
  const restart = (at('#/definitions/node/properties/restart')['oneOf'] as Obj[])[1]?.['properties'] as Record<string, Obj>;
  t.deepEqual({ maxRestarts: restart['maxRestarts']?.['default'], withinMs: restart['withinMs']?.['default'] }, defaults.restart);
  t.deepEqual(at('#/properties/routingTable')['default'], []);
});

test('the schema and validateConfig take the same integer bounds', (t) => {
  const probes: [string, (v: number) => unknown][] = [
    ...['hopLimit', 'timeout', 'maxLineLength', 'maxReplyBytes', 'heartbeatMs', 'maxProcesses', 'maxMailbox'].map((k): [string, (v: number) => unknown] => [`#/properties/${k}`, (v) => ({ nodes: { a: {} }, [k]: v })]),
    ...['port', 'maxConnections'].map((k): [string, (v: number) => unknown] => [`#/definitions/node/properties/${k}`, (v) => ({ nodes: { a: { [k]: v } } })]),
    ...CONFIG_KEYS.resourceLimits.map((k): [string, (v: number) => unknown] => [`#/definitions/node/properties/resourceLimits/properties/${k}`, (v) => ({ nodes: { a: { resourceLimits: { [k]: v } } } })]),
    ...CONFIG_KEYS.restart.map((k): [string, (v: number) => unknown] => [`#/definitions/node/properties/restart/oneOf/1/properties/${k}`, (v) => ({ nodes: { a: { restart: { [k]: v } } } })]),
    ['#/definitions/byte', (v) => ({ nodes: { a: {} }, routingTable: [{ range: [v, v], node: 'a' }] })],
    ['#/definitions/slot', (v) => ({ nodes: { a: {} }, routingTable: { slots: [{ slots: [v, v], node: 'a' }] } })],
  ];
  for (const [ref, config] of probes) {
    const { minimum, maximum } = at(ref) as { minimum: number; maximum: number };
    for (const v of [minimum, maximum]) {
      t.deepEqual(issues(config(v)), [], `${ref} = ${v}`);
      t.deepEqual(check(schema, config(v)), [], `${ref} = ${v}`);
    }
    for (const v of [minimum - 1, maximum + 1]) {
      t.is(issues(config(v)).length, 1, `${ref} = ${v}`);
      t.is(check(schema, config(v)).length > 0, true, `${ref} = ${v}`);
    }
  }
});

test("the repo's kvrc.json and the README's configuration examples conform to the schema and validate", (t) => {
  const examples = [...readme.matchAll(/```json\n([^]*?)```/g)].map((m) => m[1] ?? '');
  t.true(examples.length >= 1);
  for (const text of [read('kvrc.json'), ...examples]) {
    const config = JSON.parse(text) as unknown;
    t.deepEqual(check(schema, config), [], text);
    t.deepEqual(issues(config), [], text);
  }
  const fragments = ['{ "restart": { "maxRestarts": 10, "withinMs": 60000 } }', '{ "restart": "never" }'];
  for (const f of fragments) t.true(readme.includes(f.slice(2, -2)), f);
  for (const f of fragments) t.deepEqual(check(schema, { nodes: { a: JSON.parse(f) as unknown } }), [], f);
  t.deepEqual(check(schema, { nodes: ['a'], modules: { Crunch: { path: './crunch.js', cpu: true } } }), []);
});

test('slots and ring tables conform to the schema and validate; a ring size that is no power of two fails both', (t) => {
  const slots = {
    nodes: ['a', 'b'],
    routingTable: {
      slots: [
        { slots: '0-8191', node: 'a' },
        { slots: 8192, node: 'b' },
        { from: 8193, to: 16383, node: 'b' },
      ],
    },
  };
  const ring = { nodes: ['a', 'b'], routingTable: { ring: { size: 64, nodes: ['a', 'b'] } } };
  for (const config of [slots, ring]) {
    t.deepEqual(check(schema, config), []);
    t.deepEqual(issues(config), []);
  }
  const bad = { nodes: ['a'], routingTable: { ring: { size: 48, nodes: ['a'] } } };
  t.true(check(schema, bad).length > 0);
  t.deepEqual(issues(bad), ['routingTable.ring.size: expected a power of two from 1 to 16384 but received number 48']);
});

test('$schema is accepted and ignored; one that is not a string is refused, naming it', (t) => {
  const plain = { nodes: { foo: { port: 0 } }, routingTable: [{ range: 'a-z', node: 'foo' }] } as const;
  const typed: KvConfig = { $schema: './node_modules/kvmesh/schema/kvrc.schema.json', ...plain };
  t.deepEqual(validateConfig(typed), validateConfig(plain));
  const error = t.throws(() => validateConfig({ ...plain, $schema: 5 }), { instanceOf: KvError });
  t.is(error.code, 'KV_ERR_BAD_CONFIG');
  t.is(error.message, 'invalid configuration (1 issue):\n  - $schema: expected the URL or path of a JSON Schema but received number 5');
  t.deepEqual(issues({ ...plain, $schema: null }), ['$schema: expected the URL or path of a JSON Schema but received null']);
  // The next config is validated as ever.
  t.deepEqual(issues(typed), []);
});

test('an as-const configuration compiles as a KvConfig and validates', (t) => {
  const config = {
    routingTable: [
      { range: [97, 109], node: 'foo' },
      { range: 'n-z', node: 'bar' },
    ],
    nodes: ['foo', { name: 'bar', restart: { maxRestarts: 1 }, resourceLimits: { maxOldGenerationSizeMb: 64 } }],
    modules: { Hello: { path: './hello.js', cpu: false } },
  } as const satisfies KvConfig;
  t.deepEqual(issues(config), []);
  t.deepEqual(check(schema, config), []);
});
