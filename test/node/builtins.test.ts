/** The built-in modules: every argument checked, arities enforced, the client's strings in and out, and no caller can crash a node. */
import test from 'ava';
import fc from 'fast-check';
import { argumentError, checkArgs } from '../../src/node/builtins.js';
import { cluster, fixture, guideTable, rejectsWith, stillServes, cloneable } from '../helpers.js';

const config = { routingTable: guideTable, nodes: { foo: {}, bar: {} }, modules: { Ctx: fixture('context.js') } };

test('argumentError names the place, the argument and the rule; checkArgs throws it', (t) => {
  const params = [
    ['bucket', 'string'],
    ['args', 'array'],
    ['value', 'any'],
    ['timeout', 'timeout'],
  ] as const;
  t.is(argumentError('M.f/4', params, ['b', [], 1, undefined]), undefined);
  t.is(argumentError('M.f/4', params, ['b', [], null, 5]), undefined);
  const cases: [unknown[], string][] = [
    [[1, [], 0, 1], 'M.f/4: argument 1 (bucket) must be a string, received number'],
    [[null, [], 0, 1], 'M.f/4: argument 1 (bucket) must be a string, received null'],
    [[['b'], [], 0, 1], 'M.f/4: argument 1 (bucket) must be a string, received array'],
    [['b', {}, 0, 1], 'M.f/4: argument 2 (args) must be an array, received object'],
    [['b', [], 0, -5], 'M.f/4: argument 4 (timeout) must be a whole number of ms (1 to 2147483647) or undefined, received -5'],
    [['b', [], 0, Number.NaN], 'M.f/4: argument 4 (timeout) must be a whole number of ms (1 to 2147483647) or undefined, received NaN'],
    [['b', [], 0, '9'], 'M.f/4: argument 4 (timeout) must be a whole number of ms (1 to 2147483647) or undefined, received string'],
  ];
  for (const [args, message] of cases) {
    t.like(argumentError('M.f/4', params, args), { code: 'KV_ERR_BAD_ARGUMENT', message });
    t.throws(() => checkArgs('M.f/4', params, args), { message });
  }
});

test('every argument of every built-in is checked: KV_ERR_BAD_ARGUMENT naming Module.function/arity and the argument; the node keeps serving', async (t) => {
  const c = await cluster(t, config);
  await c.client().create('apple');
  const cases: [string, string, unknown[], string][] = [
    ['KV.Registry', 'create', [1], 'KV.Registry.create/1: argument 1 (bucket) must be a string, received number'],
    ['KV.Registry', 'lookup', [null], 'KV.Registry.lookup/1: argument 1 (bucket) must be a string, received null'],
    ['KV.Bucket', 'get', [['apple'], 'k'], 'KV.Bucket.get/2: argument 1 (bucket) must be a string, received array'],
    ['KV.Bucket', 'get', ['apple', {}], 'KV.Bucket.get/2: argument 2 (key) must be a string, received object'],
    ['KV.Bucket', 'put', [true, 'k', 'v'], 'KV.Bucket.put/3: argument 1 (bucket) must be a string, received boolean'],
    ['KV.Bucket', 'put', ['apple', 7n, 'v'], 'KV.Bucket.put/3: argument 2 (key) must be a string, received bigint'],
    ['KV.Bucket', 'put', ['apple', 'k', 42], 'KV.Bucket.put/3: argument 3 (value) must be a string, received number'],
    ['KV.Bucket', 'delete', [undefined, 'k'], 'KV.Bucket.delete/2: argument 1 (bucket) must be a string, received undefined'],
    ['KV.Bucket', 'delete', ['apple', 1], 'KV.Bucket.delete/2: argument 2 (key) must be a string, received number'],
    ['KV.Bucket', 'stop', [1], 'KV.Bucket.stop/1: argument 1 (bucket) must be a string, received number'],
    ['KV.Bucket', 'stop', [1, 'normal'], 'KV.Bucket.stop/2: argument 1 (bucket) must be a string, received number'],
    ['KV.Router', 'route', [123, 'Kernel', 'node', []], 'KV.Router.route/4: argument 1 (bucket) must be a string, received number'],
    ['KV.Router', 'route', ['apple', 1, 'node', []], 'KV.Router.route/4: argument 2 (module) must be a string, received number'],
    ['KV.Router', 'route', ['apple', 'Kernel', null, []], 'KV.Router.route/4: argument 3 (function) must be a string, received null'],
    ['KV.Router', 'route', ['apple', 'Kernel', 'node', 'x'], 'KV.Router.route/4: argument 4 (args) must be an array, received string'],
    ['Application', 'get_env', [1], 'Application.get_env/1: argument 1 (key) must be a string, received number'],
    ['Application', 'fetch_env', [[]], 'Application.fetch_env/1: argument 1 (key) must be a string, received array'],
    ['Application', 'put_env', [{}, 1], 'Application.put_env/2: argument 1 (key) must be a string, received object'],
  ];
  for (const [mod, fun, args, message] of cases) await rejectsWith(t, c.call('foo', mod, fun, args), 'KV_ERR_BAD_ARGUMENT', message);
  t.is(await c.call('foo', 'KV.Bucket', 'get', ['apple', 'k']), undefined, 'nothing was stored by the refused put');
  await stillServes(t, c);
});

test('a built-in called with the wrong number of arguments is KV_ERR_UNDEFINED_FUNCTION listing its arities', async (t) => {
  const c = await cluster(t, config);
  await rejectsWith(t, c.call('foo', 'KV.Bucket', 'get', ['apple', 'k', 'extra']), 'KV_ERR_UNDEFINED_FUNCTION', 'undefined function KV.Bucket.get/3 on node "foo": module KV.Bucket exports get/2, put/3, delete/2, stop/1, stop/2');
  await rejectsWith(t, c.call('bar', 'Kernel', 'node', ['x']), 'KV_ERR_UNDEFINED_FUNCTION', 'undefined function Kernel.node/1 on node "bar": module Kernel exports node/0, nodes/0');
  await rejectsWith(t, c.call('foo', 'KV.Router', 'route', ['apple', 'Kernel', 'node']), 'KV_ERR_UNDEFINED_FUNCTION', 'undefined function KV.Router.route/3 on node "foo": module KV.Router exports route/4');
  await stillServes(t, c);
});

test('the context rejects bad arguments too: this.route(123, …) and this.call with a bad node or timeout', async (t) => {
  const c = await cluster(t, config);
  await rejectsWith(t, c.call('foo', 'Ctx', 'route', [123, 'Kernel', 'node', []]), 'KV_ERR_BAD_ARGUMENT', 'this.route: argument 1 (bucket) must be a string, received number');
  await rejectsWith(t, c.call('foo', 'Ctx', 'route', ['apple', 'Kernel', 'node', 'x']), 'KV_ERR_BAD_ARGUMENT', 'this.route: argument 4 (args) must be an array, received string');
  await rejectsWith(t, c.call('foo', 'Ctx', 'call', [7n, 'Kernel', 'node', []]), 'KV_ERR_BAD_ARGUMENT', 'this.call: argument 1 (node) must be a string, received bigint');
  await rejectsWith(t, c.call('foo', 'Ctx', 'call', ['bar', 'Kernel', 'node', [], 0]), 'KV_ERR_BAD_ARGUMENT', 'this.call: argument 5 (timeout) must be a whole number of ms (1 to 2147483647) or undefined, received 0');
  await rejectsWith(t, c.call('foo', 'Ctx', 'call', ['bar', 'Kernel', 'node', [], 0.5]), 'KV_ERR_BAD_ARGUMENT', 'this.call: argument 5 (timeout) must be a whole number of ms (1 to 2147483647) or undefined, received 0.5');
  await rejectsWith(t, c.call('foo', 'Ctx', 'call', ['nope', 'Kernel', 'node', []]), 'KV_ERR_UNKNOWN_NODE', 'unknown node "nope" (nodes: foo, bar)');
  await rejectsWith(t, c.call('foo', 'Ctx', 'spawn', [null, 'Kernel', 'node', []]), 'KV_ERR_BAD_ARGUMENT', 'this.spawn: argument 1 (node) must be a string, received null');
  await rejectsWith(t, c.call('foo', 'Ctx', 'getEnv', [1]), 'KV_ERR_BAD_ARGUMENT', 'this.getEnv: argument 1 (key) must be a string, received number');
  await rejectsWith(t, c.call('foo', 'Ctx', 'putEnv', [1, 'v']), 'KV_ERR_BAD_ARGUMENT', 'this.putEnv: argument 1 (key) must be a string, received number');
  t.is(await c.call('foo', 'Ctx', 'route', ['zebra', 'Kernel', 'node']), 'bar', 'args default to []');
  await stillServes(t, c);
});

test('built-ins and the client see the same bytes: a non-ASCII name is one bucket, a value the same string every way', async (t) => {
  const c = await cluster(t, config);
  const kv = c.client();
  await kv.create('café');
  t.is(await c.call('foo', 'KV.Registry', 'lookup', ['café']), 'foo');
  t.is(await c.call('foo', 'KV.Bucket', 'get', ['café', 'clé']), undefined);
  t.is(await c.call('foo', 'KV.Bucket', 'put', ['café', 'clé', '日本']), 'ok');
  t.is(await kv.get('café', 'clé'), '日本');
  t.deepEqual(
    await kv.batch([
      { op: 'get', bucket: 'café', key: 'clé' },
      { op: 'put', bucket: 'café', key: 'ü', value: 'ñ€' },
    ]),
    ['日本', undefined],
  );
  t.is(await c.call('foo', 'KV.Bucket', 'get', ['café', 'ü']), 'ñ€');
  t.is(await c.call('bar', 'KV.Router', 'route', ['café', 'KV.Bucket', 'get', ['café', 'clé']]), '日本');
  t.is(await c.call('foo', 'KV.Bucket', 'delete', ['café', 'ü']), 'ñ€');
  t.is(await kv.get('café', 'ü'), undefined);
  // A bucket made by the built-in is the client's bucket too, and stopping it ends it for both.
  t.is(await c.call('bar', 'KV.Registry', 'create', ['zoë']), 'bar');
  await kv.put('zoë', 'ключ', 'значение');
  t.is(await c.call('bar', 'KV.Bucket', 'get', ['zoë', 'ключ']), 'значение');
  t.is(await c.call('bar', 'KV.Bucket', 'stop', ['zoë']), 'ok');
  t.is(await c.call('bar', 'KV.Registry', 'lookup', ['zoë']), null);
  await rejectsWith(t, kv.get('zoë', 'ключ'), 'KV_ERR_NO_BUCKET', 'no bucket "zoë" on node "bar" (create it first)');
  await rejectsWith(t, c.call('bar', 'KV.Bucket', 'get', ['zoë', 'ключ']), 'KV_ERR_NO_BUCKET', 'no bucket "zoë" on node "bar" (create it first)');
  await rejectsWith(t, c.call('foo', 'KV.Bucket', 'put', ['café', 'n', 42]), 'KV_ERR_BAD_ARGUMENT', 'KV.Bucket.put/3: argument 3 (value) must be a string, received number');
  t.deepEqual(
    await kv.batch([
      { op: 'get', bucket: 'café', key: 'n' },
      { op: 'get', bucket: 'café', key: 'clé' },
    ]),
    [undefined, '日本'],
    'the refused put stored nothing',
  );
  await stillServes(t, c);
});

test('KV.Registry.create on a storage: false node is refused as a client create is', async (t) => {
  const table = [{ range: 'a-z', node: 'back' }];
  const c = await cluster(t, { nodes: { front: { port: 0, storage: false, routingTable: table }, back: { routingTable: table } } });
  await rejectsWith(t, c.call('front', 'KV.Registry', 'create', ['apple']), 'KV_ERR_NO_ROUTE', 'node "front" has storage: false and holds no buckets');
  t.is(await c.call('front', 'KV.Registry', 'lookup', ['apple']), null);
  t.is(await c.call('back', 'KV.Registry', 'create', ['apple']), 'back', 'the next request is served');
});

const BUILTINS: [string, string, number][] = [
  ['Kernel', 'node', 0],
  ['Kernel', 'nodes', 0],
  ['KV.Registry', 'create', 1],
  ['KV.Registry', 'lookup', 1],
  ['KV.Bucket', 'get', 2],
  ['KV.Bucket', 'put', 3],
  ['KV.Bucket', 'delete', 2],
  ['KV.Bucket', 'stop', 1],
  ['KV.Bucket', 'stop', 2],
  ['KV.Router', 'route', 4],
  ['Application', 'get_env', 1],
  ['Application', 'fetch_env', 1],
  ['Application', 'put_env', 2],
  ['KV.Redis', 'set', 4],
  ['KV.Redis', 'put', 3],
  ['KV.Redis', 'incrby', 3],
  ['KV.Redis', 'hset', 2],
  ['KV.Redis', 'hdel', 2],
  ['KV.Redis', 'hgetall', 1],
  ['KV.Redis', 'hkeys', 1],
  ['KV.Redis', 'hlen', 1],
  ['KV.Redis', 'dbsize', 0],
];
/** Mostly strings (some naming real buckets and modules), so calls get past the checks too. */
const arg = fc.oneof(cloneable, fc.string(), fc.constantFrom('apple', 'café', 'k', 'KV.Bucket', 'get', 'Kernel', 'node'), fc.array(fc.constantFrom('apple', 'k', 'v')));

test('property: arbitrary arguments to every built-in give a result or a KvError of an expected code, never a crashed node', async (t) => {
  const c = await cluster(t, config);
  const kv = c.client();
  await kv.create('apple');
  await kv.create('café');
  const expected = new Set(['KV_ERR_BAD_ARGUMENT', 'KV_ERR_UNDEFINED_FUNCTION', 'KV_ERR_NO_BUCKET', 'KV_ERR_NO_ROUTE']);
  const call = fc.tuple(fc.constantFrom(...BUILTINS), fc.boolean(), fc.array(arg, { maxLength: 5 }), fc.constantFrom('foo', 'bar'));
  await fc.assert(
    fc.asyncProperty(call, async ([[mod, fun, arity], rightArity, extra, node]) => {
      const args = rightArity ? Array.from({ length: arity }, (_, i) => extra[i] ?? 'apple') : extra;
      // The routing_table key swaps the node's table: another suite covers it.
      if (mod === 'Application' && args[0] === 'routing_table') return;
      try {
        await c.call(node, mod, fun, args);
      } catch (e) {
        // Thrown, not asserted: fast-check shrinks the call and reports it.
        const code = (e as { code?: string }).code ?? 'none';
        if (!expected.has(code)) throw new Error(`${mod}.${fun} with ${args.length} args: ${code} ${(e as Error).message}`, { cause: e });
      }
    }),
    { numRuns: 200 },
  );
  await stillServes(t, c);
});
