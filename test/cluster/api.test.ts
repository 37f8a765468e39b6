import test from 'ava';
import { once } from 'node:events';
import { startCluster } from '../../src/index.js';
import type { TaskErrorEvent } from '../../src/index.js';
import { cluster, fixture, guideTable, rejectsWith } from '../helpers.js';

const config = { routingTable: guideTable, nodes: { foo: {}, bar: {} }, modules: { Hello: fixture('hello.js'), Crunch: { path: fixture('crunch.js'), cpu: true } } };

test('create is idempotent and keeps data; put never creates a bucket', async (t) => {
  const kv = (await cluster(t, config)).client();
  await rejectsWith(t, kv.put('apple', 'k', 'v'), 'KV_ERR_NO_BUCKET', 'no bucket "apple" on node "foo" (create it first)');
  await rejectsWith(t, kv.get('zebra', 'k'), 'KV_ERR_NO_BUCKET', 'no bucket "zebra" on node "bar" (create it first)');
  await rejectsWith(t, kv.delete('zebra', 'k'), 'KV_ERR_NO_BUCKET', 'no bucket "zebra" on node "bar" (create it first)');
  await kv.create('apple');
  await kv.put('apple', 'k', 'v');
  await kv.create('apple');
  t.is(await kv.get('apple', 'k'), 'v');
  t.is(await kv.get('apple', 'missing'), undefined);
  await kv.put('apple', 'k', 'v2');
  t.is(await kv.delete('apple', 'k'), 'v2');
  t.is(await kv.get('apple', 'k'), undefined);
});

test('user modules run on any node, as Hello.world in the guide', async (t) => {
  const c = await cluster(t, config);
  t.is(await c.call('foo', 'Hello', 'world'), 'hello from foo');
  t.is(await c.call('bar', 'Hello', 'world'), 'hello from bar');
  t.is(await c.call('bar', 'Hello', 'add', [2, 3]), 5);
  t.is(await c.client().route('zebra', 'Hello', 'world'), 'hello from bar');
  t.deepEqual(await c.call('foo', 'Kernel', 'nodes'), ['bar']);
});

test('an unknown module or function is KV_ERR_UNDEFINED_FUNCTION naming Module.fun/arity', async (t) => {
  const c = await cluster(t, config);
  await rejectsWith(t, c.call('foo', 'Hello', 'wrld'), 'KV_ERR_UNDEFINED_FUNCTION', 'undefined function Hello.wrld/0 on node "foo": module Hello exports add, boom, routeFrom, slow, spawnBoom, world');
  await rejectsWith(t, c.call('foo', 'Nope', 'x', [1]), 'KV_ERR_UNDEFINED_FUNCTION', 'undefined function Nope.x/1 on node "foo": no module Nope (modules: Kernel, KV.Registry, KV.Bucket, KV.Router, Application, Hello, Crunch)');
  await rejectsWith(t, c.call('foo', 'Hello', 'toString'), 'KV_ERR_UNDEFINED_FUNCTION', /Hello\.toString\/0/);
  t.is(await c.call('foo', 'Hello', 'world'), 'hello from foo');
});

test('a function that throws fails that call only, with KV_ERR_TASK_FAILED and the original message', async (t) => {
  const c = await cluster(t, config);
  await rejectsWith(t, c.call('bar', 'Hello', 'boom', ['kaput']), 'KV_ERR_TASK_FAILED', 'Hello.boom/1 failed on node "bar": Error: kaput');
  t.is(await c.call('bar', 'Hello', 'world'), 'hello from bar');
});

test('call waits at most its timeout', async (t) => {
  const c = await cluster(t, config);
  await rejectsWith(t, c.call('foo', 'Hello', 'slow', [2000], { timeout: 50 }), 'KV_ERR_TIMEOUT', 'no reply to Hello.slow/1 from node "foo" within 50 ms');
  t.is(await c.call('foo', 'Hello', 'slow', [1], { timeout: 5000 }), 'slept 1');
});

test('async starts a task now; await waits for it, with a timeout', async (t) => {
  const c = await cluster(t, config);
  const task = c.async('bar', 'Hello', 'slow', [30]);
  t.is(task.node, 'bar');
  t.is(task.mfa, 'Hello.slow/1');
  t.is(await task.await(5000), 'slept 30');
  const late = c.async('bar', 'Hello', 'slow', [2000]);
  await rejectsWith(t, late.await(20), 'KV_ERR_TIMEOUT', 'task Hello.slow/1 on node "bar": no answer within 20 ms');
  const failing = c.async('foo', 'Hello', 'boom', ['no']);
  await rejectsWith(t, failing.await(), 'KV_ERR_TASK_FAILED', 'Hello.boom/1 failed on node "foo": Error: no');
  // Never awaited, and failing: must not surface as an unhandled rejection.
  c.async('foo', 'Hello', 'boom', ['ignored']);
  t.is(await c.async('foo', 'Hello', 'add', [1, 1]).await(), 2);
});

test('spawn failures are reported as taskerror events, never lost', async (t) => {
  const c = await cluster(t, config);
  const failed = once(c, 'taskerror');
  c.spawn('bar', 'Hello', 'boom', ['spawned']);
  const [event] = (await failed) as [TaskErrorEvent];
  t.is(event.node, 'bar');
  t.is(event.mfa, 'Hello.boom/1');
  t.is(event.error.code, 'KV_ERR_TASK_FAILED');
  t.is(event.error.message, 'Hello.boom/1 failed on node "bar": Error: spawned');
  // A spawn made by a user module inside a node is reported the same way.
  const fromNode = once(c, 'taskerror');
  t.is(await c.call('foo', 'Hello', 'spawnBoom', ['bar']), 'spawned');
  const [second] = (await fromNode) as [TaskErrorEvent];
  t.is(second.node, 'bar');
  t.is(second.mfa, 'Nope.x/0');
  t.is(second.error.code, 'KV_ERR_UNDEFINED_FUNCTION');
});

test('CPU-bound modules run in the node’s thread pool, errors keep their text', async (t) => {
  const c = await cluster(t, config);
  t.is(await c.call('foo', 'Crunch', 'fib', [20]), 6765);
  const poolThread = await c.call('foo', 'Crunch', 'thread');
  t.not(poolThread, 0);
  await rejectsWith(t, c.call('foo', 'Crunch', 'fail'), 'KV_ERR_TASK_FAILED', 'Crunch.fail/0 failed on node "foo": RangeError: too big');
  await rejectsWith(t, c.call('foo', 'Crunch', 'nope'), 'KV_ERR_UNDEFINED_FUNCTION', 'undefined function Crunch.nope/0 on node "foo": module Crunch exports fail, fib, thread');
});

test('unknown nodes and bad arguments are refused before anything is sent', async (t) => {
  const c = await cluster(t, config);
  const unknown = { code: 'KV_ERR_UNKNOWN_NODE', message: 'unknown node "qux" (nodes: foo, bar)' };
  t.throws(() => c.client({ via: 'qux' }), unknown);
  await t.throwsAsync(c.call('qux', 'Kernel', 'node'), unknown);
  t.throws(() => c.async('qux', 'Kernel', 'node'), unknown);
  t.throws(() => c.spawn('qux', 'Kernel', 'node'), unknown);
  t.throws(() => c.routingTable('qux'), unknown);
  await t.throwsAsync(c.call('foo', 'Kernel', 'node', [], { timeout: -1 }), { instanceOf: TypeError, message: 'call: timeout must be a positive number of ms, received -1' });
  await t.throwsAsync(c.client().get(42 as unknown as string, 'k'), { instanceOf: TypeError, message: 'get: bucket must be a string, received number' });
  await t.throwsAsync(c.client().route('a', 'Kernel', 'node', 'x' as unknown as unknown[]), { instanceOf: TypeError, message: 'route: args must be an array, received string' });
  await rejectsWith(t, c.call('foo', 'Hello', 'add', [() => 1]), 'KV_ERR_BAD_ARGUMENT', /^cannot send to another thread: .*could not be cloned/);
  t.is(await c.call('foo', 'Hello', 'add', [1, 2]), 3, 'the next request is still served');
});

test('two clusters run side by side in one process', async (t) => {
  const [one, two] = await Promise.all([cluster(t, config), cluster(t, config)]);
  const [a, b] = [one.client(), two.client()];
  await a.create('apple');
  await a.put('apple', 'k', 'one');
  await rejectsWith(t, b.get('apple', 'k'), 'KV_ERR_NO_BUCKET', 'no bucket "apple" on node "foo" (create it first)');
  await b.create('apple');
  await b.put('apple', 'k', 'two');
  t.is(await a.get('apple', 'k'), 'one');
  t.is(await b.get('apple', 'k'), 'two');
});

test('destroy twice; requests in flight and after it reject with KV_ERR_CLOSED', async (t) => {
  const c = await startCluster({ config });
  const kv = c.client();
  await kv.create('apple');
  const inFlight = Array.from({ length: 200 }, (_, i) => kv.put('apple', `k${i}`, 'v'));
  const slow = c.call('foo', 'Hello', 'slow', [10_000]);
  const closing = c.destroy();
  t.is(c.destroy(), closing, 'destroy is idempotent');
  await closing;
  const outcomes = await Promise.allSettled([...inFlight, slow]);
  for (const o of outcomes) if (o.status === 'rejected') t.is((o.reason as { code: string }).code, 'KV_ERR_CLOSED');
  t.is(outcomes.at(-1)?.status, 'rejected');
  await rejectsWith(t, kv.get('apple', 'k0'), 'KV_ERR_CLOSED', 'the cluster is closed');
  t.throws(() => c.async('foo', 'Kernel', 'node'), { code: 'KV_ERR_CLOSED' } as never);
});
