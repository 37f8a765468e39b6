import test from 'ava';
import type { ExecutionContext } from 'ava';
import { cluster, guideTable } from '../helpers.js';
import { modules } from './helpers.js';
import type { Cluster, Task } from '../../src/index.js';

// Bad arguments, typed as anything: what a JavaScript caller (or a cast) can pass.
type Loose = any; // eslint-disable-line @typescript-eslint/no-explicit-any -- the point of this file

const MAX = 2147483647;

/** The cases: the call, the error class and code, and the exact message. */
function cases(c: Cluster, task: Task): [string, () => unknown, string, string][] {
  const kv = c.client();
  const loose = c as Loose;
  const looseKv = kv as Loose;
  return [
    ['client via a number', () => c.client({ via: 42 as Loose }), 'TypeError', 'client: node must be a string, received number'],
    ['client via ""', () => c.client({ via: '' }), 'KV_ERR_UNKNOWN_NODE', 'unknown node "" (nodes: foo, bar)'],
    ['client via an unknown node', () => c.client({ via: 'baz' }), 'KV_ERR_UNKNOWN_NODE', 'unknown node "baz" (nodes: foo, bar)'],
    ['client options null', () => loose.client(null), 'TypeError', 'client: options must be an object, received null'],
    ['get bucket number', () => looseKv.get(42, 'k'), 'TypeError', 'get: bucket must be a string, received number'],
    ['create bucket null', () => looseKv.create(null), 'TypeError', 'create: bucket must be a string, received null'],
    ['get key missing', () => looseKv.get('apple'), 'TypeError', 'get: key must be a string, received undefined'],
    ['put value number', () => looseKv.put('apple', 'k', 5), 'TypeError', 'put: value must be a string, received number'],
    ['put key object', () => looseKv.put('apple', {}, 'v'), 'TypeError', 'put: key must be a string, received object'],
    ['route args not an array', () => looseKv.route('apple', 'Hello', 'world', 'x'), 'TypeError', 'route: args must be an array, received string'],
    ['route module number', () => looseKv.route('apple', 1, 'world'), 'TypeError', 'route: module must be a string, received number'],
    ['call node undefined', () => loose.call(undefined, 'Kernel', 'node'), 'TypeError', 'call: node must be a string, received undefined'],
    ['call node ""', () => c.call('', 'Kernel', 'node'), 'KV_ERR_UNKNOWN_NODE', 'unknown node "" (nodes: foo, bar)'],
    ['call function null', () => loose.call('foo', 'Kernel', null), 'TypeError', 'call: function must be a string, received null'],
    ['call options null', () => loose.call('foo', 'Kernel', 'node', [], null), 'TypeError', 'call: options must be an object, received null'],
    ...([-1, 0, Infinity, NaN] as const).map((timeout): [string, () => unknown, string, string] => [`call timeout ${timeout}`, () => c.call('foo', 'Kernel', 'node', [], { timeout }), 'TypeError', `call: timeout must be a positive number of ms, received ${timeout}`]),
    ...([MAX + 1, 1e12] as const).map((timeout): [string, () => unknown, string, string] => [`call timeout ${timeout}`, () => c.call('foo', 'Kernel', 'node', [], { timeout }), 'TypeError', `call: timeout must be at most ${MAX} ms (about 24.8 days), received ${timeout}`]),
    ...([0.5, 1e-9, 1.5] as const).map((timeout): [string, () => unknown, string, string] => [`call timeout ${timeout}`, () => c.call('foo', 'Kernel', 'node', [], { timeout }), 'TypeError', `call: timeout must be a whole number of ms (1 to ${MAX}), received ${timeout}`]),
    ['call timeout a string', () => c.call('foo', 'Kernel', 'node', [], { timeout: '100' as Loose }), 'TypeError', 'call: timeout must be a positive number of ms, received string'],
    ['call with a function argument', () => c.call('foo', 'Hello', 'add', [() => 1, 2]), 'KV_ERR_BAD_ARGUMENT', 'cannot send to another thread: () => 1 could not be cloned.'],
    ['async unknown node', () => c.async('baz', 'Kernel', 'node'), 'KV_ERR_UNKNOWN_NODE', 'unknown node "baz" (nodes: foo, bar)'],
    ['async args null', () => loose.async('foo', 'Kernel', 'node', null), 'TypeError', 'async: args must be an array, received null'],
    ['Task.await(0)', () => task.await(0), 'TypeError', 'Task.await: timeout must be a positive number of ms, received 0'],
    ['Task.await(0.5)', () => task.await(0.5), 'TypeError', `Task.await: timeout must be a whole number of ms (1 to ${MAX}), received 0.5`],
    ['Task.await(1e-9)', () => task.await(1e-9), 'TypeError', `Task.await: timeout must be a whole number of ms (1 to ${MAX}), received 1e-9`],
    ['Task.await(1e12)', () => task.await(1e12), 'TypeError', `Task.await: timeout must be at most ${MAX} ms (about 24.8 days), received 1000000000000`],
    ['spawn node number', () => loose.spawn(5, 'Kernel', 'node'), 'TypeError', 'spawn: node must be a string, received number'],
    ['stats unknown node', () => c.stats('baz'), 'KV_ERR_UNKNOWN_NODE', 'unknown node "baz" (nodes: foo, bar)'],
    ['kill unknown node', () => c.kill('baz'), 'KV_ERR_UNKNOWN_NODE', 'unknown node "baz" (nodes: foo, bar)'],
    ['kill node number', () => loose.kill(1), 'TypeError', 'kill: node must be a string, received number'],
    ['routingTable ""', () => c.routingTable(''), 'KV_ERR_UNKNOWN_NODE', 'unknown node "" (nodes: foo, bar)'],
    ['setRoutingTable unknown node', () => c.setRoutingTable('baz', []), 'KV_ERR_UNKNOWN_NODE', 'unknown node "baz" (nodes: foo, bar)'],
  ];
}

async function outcome(fn: () => unknown): Promise<unknown> {
  try {
    return await fn();
  } catch (e) {
    return e;
  }
}

async function requestsSeen(c: Cluster): Promise<number> {
  const [foo, bar] = await Promise.all([c.stats('foo'), c.stats('bar')]);
  return foo.requests + bar.requests;
}

async function check(t: ExecutionContext, c: Cluster, [name, fn, kind, message]: ReturnType<typeof cases>[number]): Promise<void> {
  const before = await requestsSeen(c);
  const e = (await outcome(fn)) as { name?: string; code?: string; message?: string };
  if (kind === 'TypeError') t.true(e instanceof TypeError, `${name}: ${e.name ?? ''}: ${e.message ?? ''}`);
  else t.is(e.code, kind, `${name}: ${String(e.message)}`);
  t.is(e.message, message, name);
  t.is(await requestsSeen(c), before, `${name}: nothing was sent`);
  // The next request is served.
  t.is(await c.client().get('apple', 'k'), 'v', name);
}

test('every bad argument is refused with an error naming it, before anything is sent; the next request is served', async (t) => {
  const c = await cluster(t, { routingTable: guideTable, nodes: { foo: {}, bar: {} }, modules });
  await c.client().create('apple');
  await c.client().put('apple', 'k', 'v');
  // A task already running: only its await is checked.
  const task = c.async('foo', 'Kernel', 'node');
  t.is(await task.await(), 'foo');
  for (const one of cases(c, task)) await check(t, c, one);
});

test('an absurd but valid timeout is honoured, not overflowed', async (t) => {
  const c = await cluster(t, { routingTable: guideTable, nodes: { foo: {}, bar: {} }, modules });
  t.is(await c.call('foo', 'Hello', 'add', [1, 2], { timeout: MAX }), 3);
  t.is(await c.async('foo', 'Hello', 'add', [2, 2]).await(MAX), 4);
  const e = (await outcome(() => c.call('foo', 'Hello', 'slow', [5000], { timeout: 1 }))) as { code?: string; message?: string };
  t.is(e.code, 'KV_ERR_TIMEOUT');
  t.is(e.message, 'no reply to Hello.slow/1 from node "foo" within 1 ms');
});
