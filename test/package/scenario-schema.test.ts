/**
 * schema/scenario.schema.json (shipped, for editors) says what `validateScenario` accepts: the
 * same keys at every level, the defaults and the bounds; every scenario in scenarios/ and the
 * README's conforms to both. The schema names kvrc.schema.json for the config and the tables:
 * the checker here follows local references only, so the two are joined first.
 */
import test from 'ava';
import { readFileSync, readdirSync } from 'node:fs';
import { SCENARIO_BOUNDS, SCENARIO_DEFAULTS, SCENARIO_KEYS } from '../../src/scenario/spec.js';
import { validateScenario } from '../../src/scenario/validate.js';
import { KEYWORDS, check, described, issuesOf, keywordsOf, propertiesAt } from './json-schema.js';
import type { Schema } from './json-schema.js';

type Obj = Record<string, unknown>;
const repo = new URL('../../../', import.meta.url);
const read = (path: string): string => readFileSync(new URL(path, repo), 'utf8');
const own = JSON.parse(read('schema/scenario.schema.json')) as Obj;
const kvrc = JSON.parse(read('schema/kvrc.schema.json')) as Obj;

/** The scenario schema with kvrc.schema.json's definitions (and its root, as `kvrc`) inside, its references made local. */
function joined(): Obj {
  const { definitions, $schema: _, ...root } = kvrc;
  const local = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(local);
    if (v === null || typeof v !== 'object') return v;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, k === '$ref' && typeof x === 'string' && x.startsWith('kvrc.schema.json') ? (x === 'kvrc.schema.json' ? '#/definitions/kvrc' : x.slice('kvrc.schema.json'.length)) : local(x)]));
  };
  const out = local(own) as Obj;
  const clash = Object.keys(out['definitions'] as Obj).filter((k) => k === 'kvrc' || Object.hasOwn(definitions as Obj, k));
  if (clash.length > 0) throw new Error(`scenario.schema.json defines what kvrc.schema.json does: ${clash.join(', ')}`);
  return { ...out, definitions: { ...(definitions as Obj), kvrc: root, ...(out['definitions'] as Obj) } };
}
const schema = joined() as Schema & Obj;
const at = (ref: string): Obj => described(schema, ref);
const keys = (ref: string): string[] => propertiesAt(schema, ref);
const sorted = (list: readonly string[]): string[] => [...list].sort();

const issues = (value: unknown): string[] => issuesOf(validateScenario, value);

const config = { nodes: ['foo'], routingTable: [{ range: 'a-z', node: 'foo' }] };

test('the schema uses only keywords the checker knows, and the checker catches what it is for', (t) => {
  t.deepEqual(
    [...keywordsOf(own)].filter((k) => !KEYWORDS.has(k)),
    [],
  );
  t.deepEqual(check(schema, { config }), []);
  t.deepEqual(check(schema, { config: './kvrc.json', faults: [{ atMs: 1, kill: 'foo', heal: true }, { kill: 'foo' }], colour: 1 }), ['$.faults[0]: matches 2 of oneOf, not exactly one', '$.faults[1]: missing atMs', '$.colour: not allowed here']);
  t.true(check(schema, { config: { nodes: {} } }).length > 0);
});

test('every key validateScenario accepts is in the schema, at every level, and no other', (t) => {
  t.deepEqual(Object.keys(schema['properties'] as Obj).sort(), sorted(SCENARIO_KEYS.top));
  t.deepEqual(keys('#/definitions/workload'), sorted(SCENARIO_KEYS.workload));
  t.deepEqual(keys('#/definitions/workload/properties/mix'), sorted(SCENARIO_KEYS.mix));
  t.deepEqual(keys('#/definitions/fault'), sorted(SCENARIO_KEYS.fault));
  t.deepEqual(keys('#/definitions/fault/properties/link'), sorted(SCENARIO_KEYS.link));
  t.deepEqual(keys('#/definitions/fault/properties/setRoutingTable'), sorted(SCENARIO_KEYS.setRoutingTable));
  for (const [key, s] of Object.entries(schema['properties'] as Obj)) t.is(typeof (s as Obj)['description'], 'string', key);
});

test('the schema gives the defaults validateScenario fills in', (t) => {
  const d = SCENARIO_DEFAULTS;
  t.is(at('#/properties/seed')['default'], d.seed);
  t.is(at('#/properties/durationMs')['default'], d.durationMs);
  t.is(at('#/properties/finalReads')['default'], d.finalReads);
  t.is(at('#/properties/linearizableBudget')['default'], d.linearizableBudget);
  const w = (k: string): unknown => at(`#/definitions/workload/properties/${k}`)['default'];
  t.deepEqual([w('ratePerSec'), w('buckets'), w('keysPerBucket'), w('enterAt'), w('recreate')], [d.ratePerSec, d.buckets, d.keysPerBucket, d.enterAt, d.recreate]);
  t.deepEqual(validateScenario({ config, workload: { mix: w('mix') } }).workload.mix, d.mix);
  const s = validateScenario({ config });
  t.deepEqual([s.seed, s.durationMs, s.workload.ratePerSec, s.checks], [d.seed, d.durationMs, d.ratePerSec, at('#/properties/checks')['default']]);
});

test('the schema and validateScenario take the same bounds', (t) => {
  const probes: [string, keyof typeof SCENARIO_BOUNDS, (v: number) => unknown][] = [
    ['#/properties/durationMs', 'durationMs', (v) => ({ config, durationMs: v })],
    ['#/properties/linearizableBudget', 'linearizableBudget', (v) => ({ config, linearizableBudget: v })],
    ['#/definitions/workload/properties/ratePerSec', 'ratePerSec', (v) => ({ config, workload: { ratePerSec: v } })],
    ['#/definitions/workload/properties/keysPerBucket', 'keysPerBucket', (v) => ({ config, workload: { keysPerBucket: v } })],
    ['#/definitions/workload/properties/buckets/oneOf/0', 'buckets', (v) => ({ config, workload: { buckets: v } })],
  ];
  for (const [ref, name, scenario] of probes) {
    const { minimum, maximum } = at(ref) as { minimum: number; maximum: number };
    t.deepEqual([minimum, maximum], [...SCENARIO_BOUNDS[name]], ref);
    for (const v of [minimum, maximum]) {
      t.deepEqual(issues(scenario(v)), [], `${ref} = ${v}`);
      t.deepEqual(check(schema, scenario(v)), [], `${ref} = ${v}`);
    }
    for (const v of [minimum - 1, maximum + 1]) {
      t.is(issues(scenario(v)).length, 1, `${ref} = ${v}`);
      t.true(check(schema, scenario(v)).length > 0, `${ref} = ${v}`);
    }
  }
});

test('every scenario in scenarios/ and the README conforms to the schema and validates', (t) => {
  const files = readdirSync(new URL('scenarios/', repo)).filter((f) => f.endsWith('.json'));
  t.true(files.length >= 4);
  const readme = read('README.md');
  const section = readme.slice(readme.indexOf('## Scenarios'));
  const examples = [...section.matchAll(/```jsonc?\n([^]*?)```/g)].map((m) => m[1] ?? '').filter((text) => text.includes('"faults"'));
  t.true(examples.length >= 1, 'the README shows a scenario');
  for (const text of [...files.map((f) => read(`scenarios/${f}`)), ...examples]) {
    const scenario = JSON.parse(text) as unknown;
    t.deepEqual(check(schema, scenario), [], text.slice(0, 80));
    t.deepEqual(issues(scenario), [], text.slice(0, 80));
  }
});
