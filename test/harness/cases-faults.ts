/** Faults and supervision: partitions, links, pause, a kill and its restart (hosts with a supervisor). */
import type { NodeDownEvent, NodeUpEvent } from '../../src/index.js';
import { rejectsWith } from '../helpers.js';
import { waited } from './suite.js';
import type { Suite } from './suite.js';
import { faulty, guide } from './configs.js';

/** Registers the fault and supervision cases. */
export function faultCases(s: Suite): void {
  s.testWith(['faults', 'supervision'], 'a partition loses frames like a network: the caller times out naming the node it waited on; heal restores service', faulty, async (c, t, h) => {
    const kv = c.client({ via: 'foo' });
    await kv.create('zebra');
    await kv.put('zebra', 'k', 'v');
    await c.faults.partition(['foo'], ['bar']);
    const start = h.now();
    await rejectsWith(t, kv.get('zebra', 'k'), 'KV_ERR_TIMEOUT', 'no reply to get of bucket "zebra" from node "bar" (entered at node "foo") within 300 ms');
    waited(t, h, start, { virtual: 300, atLeast: 300, below: 3000 });
    // The supervisor's view is separate: nobody is declared down by a data-plane partition.
    t.deepEqual(
      c.status().map((x) => x.state),
      ['up', 'up'],
    );
    if (h.capabilities.faultCounters) t.true(((await c.stats('foo')).faults.bar?.dropped ?? 0) >= 1);
    await c.faults.heal();
    t.is(await kv.get('zebra', 'k'), 'v');
  });

  s.testWith(['faults'], 'a one-way partition cuts one direction only', faulty, async (c, t) => {
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

  s.testWith(['faults'], 'a delayed link delays every frame on it; duplicates run a request twice and are counted', { ...faulty, timeout: 5000 }, async (c, t, h) => {
    const kv = c.client({ via: 'foo' });
    await kv.create('zebra');
    await c.faults.link('foo', 'bar', { delayMs: 80 });
    const start = h.now();
    await kv.put('zebra', 'k', 'slow');
    // Simulated: the 80 ms replace foo → bar's latency; client → foo and bar → client take 1/64 ms each.
    waited(t, h, start, { virtual: 80 + 2 / 64, atLeast: 80, below: 3000 });
    if (h.capabilities.faultCounters) t.true(((await c.stats('foo')).faults.bar?.delayed ?? 0) >= 1);
    await c.faults.link('foo', 'bar', { delayMs: 0, duplicate: 1 });
    const before = (await c.stats('bar')).requests;
    t.is(await kv.get('zebra', 'k'), 'slow', "the first reply settles the request; the copy's reply is ignored");
    // The copy may be handled after the first reply came back: wait for it (bounded), then count exactly.
    let after = await c.stats('bar');
    for (const deadline = h.now() + 2000; after.requests - before < 2 && h.now() < deadline;) after = await c.stats('bar');
    t.is(after.requests - before, 2, 'the owner ran the duplicated request twice');
    if (h.capabilities.faultCounters) t.is((await c.stats('foo')).faults.bar?.duplicated, 1);
    await c.faults.clear();
    t.is(await kv.get('zebra', 'k'), 'slow');
  });

  s.testWith(['faults'], 'a link that drops everything times out; bad fault settings are refused with the field named, and service goes on', faulty, async (c, t, h) => {
    const kv = c.client({ via: 'foo' });
    await kv.create('zebra');
    await c.faults.link('client', 'foo', { drop: 1 });
    const start = h.now();
    await rejectsWith(t, kv.get('zebra', 'k'), 'KV_ERR_TIMEOUT', 'no reply to get of bucket "zebra" from node "bar" (entered at node "foo") within 300 ms');
    waited(t, h, start, { virtual: 300, atLeast: 300, below: 3000 });
    t.throws(() => c.faults.link('foo', 'bar', { drop: 2 }), { code: 'KV_ERR_BAD_ARGUMENT', message: 'faults.link("foo", "bar"): drop must be a probability from 0 to 1, received 2' });
    t.throws(() => c.faults.link('foo', 'bar', { delay: 5 } as never), { code: 'KV_ERR_BAD_ARGUMENT', message: 'faults.link("foo", "bar"): unknown setting "delay" (settings: delayMs, jitterMs, drop, duplicate)' });
    t.throws(() => c.faults.partition(['foo'], ['nope']), { code: 'KV_ERR_UNKNOWN_NODE', message: 'unknown node "nope" (nodes: foo, bar)' });
    t.throws(() => c.faults.partition(['foo'], ['foo']), { code: 'KV_ERR_BAD_ARGUMENT', message: 'faults.partition: node "foo" is in both groups' });
    await c.faults.clear();
    t.is(await kv.get('zebra', 'k'), undefined);
  });

  s.testWith(['faults', 'supervision'], 'a paused node keeps its messages waiting and answers them once resumed', { ...faulty, timeout: 5000 }, async (c, t) => {
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
    t.deepEqual(
      c.status().map((x) => x.restarts),
      [0, 0],
    );
  });

  s.testWith(['supervision'], 'a killed node comes back under its name: nodedown then nodeup, its buckets gone, the others kept', guide, async (c, t, h) => {
    const kv = c.client();
    await kv.create('apple');
    await kv.put('apple', 'k', 'kept');
    await kv.create('zebra');
    const events: string[] = [];
    c.on('nodedown', (e: NodeDownEvent) => events.push(`down ${e.node}`));
    c.on('nodeup', (e: NodeUpEvent) => events.push(`up ${e.node}`));
    const up = new Promise((resolve) => c.once('nodeup', resolve));
    await c.kill('bar');
    t.deepEqual(await h.settle(up, 10_000, 'bar back up'), { node: 'bar', restarts: 1 });
    t.deepEqual(events, ['down bar', 'up bar']);
    t.deepEqual(c.status()[1], { node: 'bar', state: 'up', restarts: 1, processes: 0, reason: 'node "bar" is down: killed by cluster.kill' });
    t.is(await kv.get('apple', 'k'), 'kept');
    await rejectsWith(t, kv.get('zebra', 'k'), 'KV_ERR_NO_BUCKET', 'no bucket "zebra" on node "bar" (create it first)');
    t.is(await c.client({ via: 'bar' }).get('apple', 'k'), 'kept', 'the restarted node is wired to its peers');
  });
}
