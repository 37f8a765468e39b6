import test from 'ava';
import { cluster, guideTable, rejectsWith } from '../helpers.js';

const config = { routingTable: guideTable, nodes: ['foo', 'bar'], timeout: 300 };

test('a partition loses frames like a network: the caller times out naming the node it waited on; heal restores service', async (t) => {
  const c = await cluster(t, config);
  const kv = c.client({ via: 'foo' });
  await kv.create('zebra');
  await kv.put('zebra', 'k', 'v');
  await c.faults.partition(['foo'], ['bar']);
  await rejectsWith(t, kv.get('zebra', 'k'), 'KV_ERR_TIMEOUT', 'no reply to get of bucket "zebra" from node "bar" (entered at node "foo") within 300 ms');
  // The supervisor's view is separate: nobody is declared down by a data-plane partition.
  t.deepEqual(c.status().map((s) => s.state), ['up', 'up']);
  t.true(((await c.stats('foo')).faults.bar?.dropped ?? 0) >= 1);
  await c.faults.heal();
  t.is(await kv.get('zebra', 'k'), 'v');
});

test('a one-way partition cuts one direction only', async (t) => {
  const c = await cluster(t, config);
  await c.client().create('zebra');
  await c.client().create('apple');
  await c.faults.partition(['foo'], ['bar'], { oneWay: true });
  // foo → bar is cut: a request forwarded by foo to bar is lost.
  await rejectsWith(t, c.client({ via: 'foo' }).get('zebra', 'k'), 'KV_ERR_TIMEOUT', 'no reply to get of bucket "zebra" from node "bar" (entered at node "foo") within 300 ms');
  // bar → foo is open: bar forwards to foo, and foo answers the client directly.
  t.is(await c.client({ via: 'bar' }).get('apple', 'k'), undefined);
  await c.faults.clear();
  t.is(await c.client({ via: 'foo' }).get('zebra', 'k'), undefined);
});

test('a delayed link delays every frame on it; duplicates run a request twice and are counted', async (t) => {
  const c = await cluster(t, { ...config, timeout: 5000 });
  const kv = c.client({ via: 'foo' });
  await kv.create('zebra');
  await c.faults.link('foo', 'bar', { delayMs: 80 });
  const start = performance.now();
  await kv.put('zebra', 'k', 'slow');
  t.true(performance.now() - start >= 80, 'the forward waited its delay');
  t.true(((await c.stats('foo')).faults.bar?.delayed ?? 0) >= 1);
  await c.faults.link('foo', 'bar', { delayMs: 0, duplicate: 1 });
  const before = (await c.stats('bar')).requests;
  t.is(await kv.get('zebra', 'k'), 'slow', 'the first reply settles the request; the copy\'s reply is ignored');
  // The copy may be handled after the first reply came back: wait for it (bounded), then count exactly.
  let after = await c.stats('bar');
  for (const deadline = performance.now() + 2000; after.requests - before < 2 && performance.now() < deadline; ) after = await c.stats('bar');
  t.is(after.requests - before, 2, 'the owner ran the duplicated request twice');
  t.is((await c.stats('foo')).faults.bar?.duplicated, 1);
  await c.faults.clear();
  t.is(await kv.get('zebra', 'k'), 'slow');
});

test('a link that drops everything times out; bad fault settings are refused with the field named, and service goes on', async (t) => {
  const c = await cluster(t, config);
  const kv = c.client({ via: 'foo' });
  await kv.create('zebra');
  await c.faults.link('client', 'foo', { drop: 1 });
  await rejectsWith(t, kv.get('zebra', 'k'), 'KV_ERR_TIMEOUT', 'no reply to get of bucket "zebra" from node "bar" (entered at node "foo") within 300 ms');
  t.throws(() => c.faults.link('foo', 'bar', { drop: 2 }), { code: 'KV_ERR_BAD_ARGUMENT', message: 'faults.link("foo", "bar"): drop must be a probability from 0 to 1, received 2' });
  t.throws(() => c.faults.link('foo', 'bar', { delay: 5 } as never), { code: 'KV_ERR_BAD_ARGUMENT', message: 'faults.link("foo", "bar"): unknown setting "delay" (settings: delayMs, jitterMs, drop, duplicate)' });
  t.throws(() => c.faults.partition(['foo'], ['nope']), { code: 'KV_ERR_UNKNOWN_NODE', message: 'unknown node "nope" (nodes: foo, bar)' });
  t.throws(() => c.faults.partition(['foo'], ['foo']), { code: 'KV_ERR_BAD_ARGUMENT', message: 'faults.partition: node "foo" is in both groups' });
  await c.faults.clear();
  t.is(await kv.get('zebra', 'k'), undefined);
});

test('a paused node keeps its messages waiting and answers them once resumed', async (t) => {
  const c = await cluster(t, { ...config, timeout: 5000 });
  const kv = c.client({ via: 'foo' });
  await kv.create('zebra');
  await kv.put('zebra', 'k', 'v');
  await c.pause('bar');
  let settled = false;
  const waiting = kv.get('zebra', 'k').finally(() => (settled = true));
  t.is(await kv.get('apple', 'k').catch((e: { code: string }) => e.code), 'KV_ERR_NO_BUCKET', 'foo still serves');
  t.false(settled, 'bar answers nothing while paused');
  c.resume('bar');
  t.is(await waiting, 'v');
  t.deepEqual(c.status().map((s) => s.restarts), [0, 0]);
});
