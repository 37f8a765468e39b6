import test from 'ava';
import { once } from 'node:events';
import { connectClient } from '../../src/index.js';
import type { KvError } from '../../src/index.js';
import { cluster, fixture, guideTable, holdNode, rejectsWith } from '../helpers.js';

// bar is blocked (so requests queue up at it), then killed: everything waiting on it settles at once.
test('single ops and batches forwarded to a node that dies settle with KV_ERR_NODE_DOWN, not at their deadline', async (t) => {
  const c = await cluster(t, { routingTable: guideTable, nodes: ['foo', 'bar'], modules: { Stall: fixture('stall.js') }, timeout: 30_000, heartbeatMs: 60_000 });
  const kv = c.client({ via: 'foo' });
  await kv.create('apple');
  await kv.create('zebra');
  await holdNode(t, c, 'bar');
  const single = kv.get('zebra', 'k');
  const batch = kv.batch([
    { op: 'get', bucket: 'zebra', key: 'k' },
    { op: 'get', bucket: 'apple', key: 'k' },
  ]);
  // Both are in foo's hands or queued at the blocked bar by the time foo answers this.
  t.is(await c.call('foo', 'Kernel', 'node'), 'foo');
  const started = Date.now();
  await c.kill('bar');
  await rejectsWith(t, single, 'KV_ERR_NODE_DOWN', 'node "bar" is down');
  const results = await batch;
  t.is((results[0] as KvError).code, 'KV_ERR_NODE_DOWN');
  t.is((results[0] as KvError).message, 'node "bar" is down');
  t.is(results[1], undefined, 'the op foo answered itself keeps its result');
  t.true(Date.now() - started < 10_000, 'settled long before the 30 s deadline');
});

test('a client in another thread sees a request to a node that dies reject with KV_ERR_NODE_DOWN, and attaches again after nodeup', async (t) => {
  const c = await cluster(t, { routingTable: guideTable, nodes: ['foo', 'bar'], modules: { Stall: fixture('stall.js') }, timeout: 30_000, heartbeatMs: 60_000 });
  await c.client().create('zebra');
  const remote = connectClient(await c.attachClient(), { via: 'bar' });
  t.teardown(() => remote.close());
  await holdNode(t, c, 'bar');
  const inFlight = remote.get('zebra', 'k');
  const up = once(c, 'nodeup');
  const started = Date.now();
  await c.kill('bar');
  await rejectsWith(t, inFlight, 'KV_ERR_NODE_DOWN', 'node "bar" is down');
  t.true(Date.now() - started < 10_000, 'settled long before the 30 s deadline');
  await up;
  const again = connectClient(await c.attachClient(), { via: 'bar' });
  t.teardown(() => again.close());
  await again.create('zebra');
  await again.put('zebra', 'k', 'after the restart');
  t.is(await c.client().get('zebra', 'k'), 'after the restart');
});
