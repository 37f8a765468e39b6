/** User modules, call, async/await, spawn: results, failures, deadlines; bad arguments; clusters side by side; close. */
import type { KvError, TaskErrorEvent } from '../../src/index.js';
import { rejectsWith } from '../helpers.js';
import { waited } from './suite.js';
import type { Suite } from './suite.js';
import { withModules } from './configs.js';

/** Registers the task cases. */
export function taskCases(s: Suite): void {
  s.test('user modules run on any node, as Hello.world in the guide', withModules, async (c, t) => {
    t.is(await c.call('foo', 'Hello', 'world'), 'hello from foo');
    t.is(await c.call('bar', 'Hello', 'world'), 'hello from bar');
    t.is(await c.call('bar', 'Hello', 'add', [2, 3]), 5);
    t.is(await c.client().route('hello', 'Hello', 'world'), 'hello from foo');
    t.is(await c.client().route('zebra', 'Hello', 'world'), 'hello from bar');
    t.deepEqual(await c.call('foo', 'Kernel', 'nodes'), ['bar']);
  });

  s.test('an unknown module or function is KV_ERR_UNDEFINED_FUNCTION naming Module.fun/arity', withModules, async (c, t) => {
    await rejectsWith(t, c.call('foo', 'Hello', 'wrld'), 'KV_ERR_UNDEFINED_FUNCTION', 'undefined function Hello.wrld/0 on node "foo": module Hello exports add, boom, routeFrom, slow, spawnBoom, world');
    await rejectsWith(t, c.call('foo', 'Nope', 'x', [1]), 'KV_ERR_UNDEFINED_FUNCTION', 'undefined function Nope.x/1 on node "foo": no module Nope (modules: Kernel, KV.Registry, KV.Bucket, KV.Router, KV.Redis, Application, Hello, Crunch)');
    await rejectsWith(t, c.call('foo', 'Hello', 'toString'), 'KV_ERR_UNDEFINED_FUNCTION', /Hello\.toString\/0/);
    t.is(await c.call('foo', 'Hello', 'world'), 'hello from foo');
  });

  s.test('a function that throws fails that call only, with KV_ERR_TASK_FAILED and the original message', withModules, async (c, t) => {
    await rejectsWith(t, c.call('bar', 'Hello', 'boom', ['kaput']), 'KV_ERR_TASK_FAILED', 'Hello.boom/1 failed on node "bar": Error: kaput');
    t.is(await c.call('bar', 'Hello', 'world'), 'hello from bar');
  });

  s.test('call waits at most its timeout', withModules, async (c, t, h) => {
    const start = h.now();
    await rejectsWith(t, c.call('foo', 'Hello', 'slow', [2000], { timeout: 50 }), 'KV_ERR_TIMEOUT', 'no reply to Hello.slow/1 from node "foo" within 50 ms');
    // A deadline's timer fires at the deadline: exactly 50 virtual ms.
    waited(t, h, start, { virtual: 50, atLeast: 50, below: 2000 });
    t.is(await c.call('foo', 'Hello', 'slow', [1], { timeout: 5000 }), 'slept 1');
  });

  s.test('async starts a task now; await waits for it, with a timeout', withModules, async (c, t, h) => {
    const task = c.async('bar', 'Hello', 'slow', [30]);
    t.is(task.node, 'bar');
    t.is(task.mfa, 'Hello.slow/1');
    t.is(await task.await(5000), 'slept 30');
    const late = c.async('bar', 'Hello', 'slow', [2000]);
    const start = h.now();
    await rejectsWith(t, late.await(20), 'KV_ERR_TIMEOUT', 'task Hello.slow/1 on node "bar": no answer within 20 ms');
    // Task.await's deadline is a timer of its own, not a sweep: exactly 20 ms (a Node timer may fire up to 1 ms early by performance.now).
    waited(t, h, start, { virtual: 20, atLeast: 19, below: 2000 });
    const failing = c.async('foo', 'Hello', 'boom', ['no']);
    await rejectsWith(t, failing.await(), 'KV_ERR_TASK_FAILED', 'Hello.boom/1 failed on node "foo": Error: no');
    // Never awaited, and failing: must not surface as an unhandled rejection.
    c.async('foo', 'Hello', 'boom', ['ignored']);
    t.is(await c.async('foo', 'Hello', 'add', [1, 1]).await(), 2);
  });

  s.test('spawn failures are reported as taskerror events, never lost', withModules, async (c, t, h) => {
    const failed = new Promise<TaskErrorEvent>((resolve) => c.once('taskerror', resolve));
    // Not awaited: the spawn succeeds, the process then throws, and that is reported.
    void c.spawn('bar', 'Hello', 'boom', ['spawned']);
    const event = await h.settle(failed, 5000, 'the taskerror of a spawn');
    t.is(event.node, 'bar');
    t.is(event.mfa, 'Hello.boom/1');
    t.is(event.error.code, 'KV_ERR_TASK_FAILED');
    t.is(event.error.message, 'Hello.boom/1 failed on node "bar": Error: spawned');
    // A spawn made by a user module inside a node is reported the same way.
    const fromNode = new Promise<TaskErrorEvent>((resolve) => c.once('taskerror', resolve));
    t.is(await c.call('foo', 'Hello', 'spawnBoom', ['bar']), 'spawned');
    const second = await h.settle(fromNode, 5000, 'the taskerror of a spawn made by a node');
    t.is(second.node, 'bar');
    t.is(second.mfa, 'Nope.x/0');
    t.is(second.error.code, 'KV_ERR_UNDEFINED_FUNCTION');
  });

  s.test('unknown nodes and bad arguments are refused before anything is sent', withModules, async (c, t) => {
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

  s.test('two clusters run side by side in one process', withModules, async (one, t, h) => {
    const two = await h.start(withModules);
    const [a, b] = [one.client(), two.client()];
    await a.create('apple');
    await a.put('apple', 'k', 'one');
    await rejectsWith(t, b.get('apple', 'k'), 'KV_ERR_NO_BUCKET', 'no bucket "apple" on node "foo" (create it first)');
    await b.create('apple');
    await b.put('apple', 'k', 'two');
    t.is(await a.get('apple', 'k'), 'one');
    t.is(await b.get('apple', 'k'), 'two');
  });

  s.test('close twice; requests in flight and after close reject with KV_ERR_CLOSED', withModules, async (c, t, h) => {
    const kv = c.client();
    await kv.create('apple');
    const inFlight = Array.from({ length: 200 }, (_, i) => kv.put('apple', `k${i}`, 'v'));
    const slow = c.call('foo', 'Hello', 'slow', [10_000]);
    const closing = c.close();
    const again = c.close();
    // A simulation wraps every call's promise in one of its own: the second close is a new promise for the same closing.
    if (h.capabilities.sameClosePromise) t.is(again, closing, 'close is idempotent');
    await Promise.all([closing, again]);
    const outcomes = await Promise.allSettled([...inFlight, slow]);
    for (const o of outcomes) if (o.status === 'rejected') t.is((o.reason as KvError).code, 'KV_ERR_CLOSED');
    t.is(outcomes.at(-1)?.status, 'rejected');
    await rejectsWith(t, kv.get('apple', 'k0'), 'KV_ERR_CLOSED', 'the cluster is closed');
    t.throws(() => c.async('foo', 'Kernel', 'node'), { code: 'KV_ERR_CLOSED' } as never);
  });
}
