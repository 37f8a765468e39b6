/** Hash slots and rings: the same hop-by-hop routing, hop limit and direct replies as byte ranges, for single ops and batches. */
import { rejectsWith } from '../helpers.js';
import type { Suite } from './suite.js';
import { keySlot } from '../../src/core/slots.js';
import { claim, ringPartition } from '../../src/core/ring.js';
import type { KvConfig } from '../../src/index.js';

const halves = {
  slots: [
    { slots: '0-8191', node: 'foo' },
    { slots: '8192-16383', node: 'bar' },
  ],
};
/** A storage-less front forwarding every slot to foo, which keeps its half and forwards the other to bar. */
export const slotted: KvConfig = {
  nodes: {
    front: { storage: false, routingTable: { slots: [{ slots: '0-16383', node: 'foo' }] } },
    foo: { routingTable: halves },
    bar: { routingTable: halves },
  },
};
export const ringed: KvConfig = { routingTable: { ring: { size: 16, nodes: ['foo', 'bar', 'baz'] } }, nodes: ['foo', 'bar', 'baz'] };

/** Registers the partitioner cases. */
export function partitionCases(s: Suite): void {
  s.test('hash slots route hop by hop: the owner of a bucket is the owner of its slot, hash tags keep buckets together', slotted, async (c, t) => {
    // "123456789" is slot 12739 (bar's half), "hello" slot 866 (foo's).
    t.is(keySlot('123456789'), 12739);
    const kv = c.client({ via: 'front' });
    t.is(await kv.route('123456789', 'Kernel', 'node', []), 'bar');
    t.is(await kv.route('hello', 'Kernel', 'node', []), 'foo');
    const [tagged, other] = [`{user1}.cart`, `{user1}.orders`];
    t.is(await kv.route(tagged, 'Kernel', 'node', []), await kv.route(other, 'Kernel', 'node', []));
    await kv.create('123456789');
    await kv.put('123456789', 'k', 'v');
    t.is(await c.client({ via: 'bar' }).get('123456789', 'k'), 'v');
    t.is(await c.call('bar', 'KV.Registry', 'lookup', ['123456789']), 'bar');
    const [front, foo] = await Promise.all(['front', 'foo'].map((n) => c.stats(n)));
    t.is(front?.forwarded, 6);
    // {user1} is slot 8106, foo's: only the three requests for slot 12739 go on to bar.
    t.is(keySlot('{user1}.cart'), 8106);
    t.is(foo?.forwarded, 3);
  });

  s.test("a batch on hash slots: each op goes to its slot's owner, results in order", slotted, async (c, t) => {
    const kv = c.client({ via: 'front' });
    t.deepEqual(
      await kv.batch([
        { op: 'create', bucket: 'hello' },
        { op: 'create', bucket: '123456789' },
      ]),
      [undefined, undefined],
    );
    await kv.batch([
      { op: 'put', bucket: 'hello', key: 'a', value: '1' },
      { op: 'put', bucket: '123456789', key: 'b', value: '2' },
    ]);
    t.deepEqual(
      await kv.batch([
        { op: 'get', bucket: '123456789', key: 'b' },
        { op: 'get', bucket: 'hello', key: 'a' },
      ]),
      ['2', '1'],
    );
    t.deepEqual(await Promise.all([c.call('foo', 'KV.Registry', 'lookup', ['hello']), c.call('bar', 'KV.Registry', 'lookup', ['hello'])]), ['foo', null]);
  });

  const gap: KvConfig = { nodes: { foo: { routingTable: { slots: [{ slots: '0-1000', node: 'foo' }] } } } };
  s.test('a slot no entry covers: KV_ERR_NO_ROUTE naming the slot and the table; the next request is served', gap, async (c, t) => {
    await rejectsWith(t, c.client().create('123456789'), 'KV_ERR_NO_ROUTE', 'no route for bucket "123456789" (slot 12739) on node "foo": its table is [slots 0-1000 → foo]');
    await c.client().create('hello');
    t.is(await c.client().get('hello', 'x'), undefined);
  });

  s.test('past the hop limit on slots: KV_ERR_TOO_MANY_HOPS naming the path', { ...slotted, hopLimit: 1 }, async (c, t) => {
    await rejectsWith(t, c.client({ via: 'front' }).create('123456789'), 'KV_ERR_TOO_MANY_HOPS', 'too many hops for bucket "123456789": forwarded 1 time (the hop limit) along front → foo → bar');
    await c.client({ via: 'front' }).create('hello');
  });

  s.test('a ring: each bucket lives on the claimed owner of its partition, found from every entry node', ringed, async (c, t) => {
    const owners = claim(16, ['foo', 'bar', 'baz']);
    const names = Array.from({ length: 24 }, (_, i) => `bucket${i}`);
    for (const via of ['foo', 'bar', 'baz']) {
      const kv = c.client({ via });
      t.deepEqual(
        await Promise.all(names.map((b) => kv.route(b, 'Kernel', 'node', []))),
        names.map((b) => owners[ringPartition(b, 16)]),
      );
    }
    const kv = c.client({ via: 'baz' });
    await kv.batch(names.map((bucket) => ({ op: 'create' as const, bucket })));
    await kv.batch(names.map((bucket) => ({ op: 'put' as const, bucket, key: 'k', value: bucket })));
    t.deepEqual(await c.client({ via: 'foo' }).batch(names.map((bucket) => ({ op: 'get' as const, bucket, key: 'k' }))), names);
    const stats = await Promise.all(['foo', 'bar', 'baz'].map((n) => c.stats(n)));
    t.is(
      stats.reduce((sum, st) => sum + st.buckets, 0),
      24,
    );
    t.deepEqual(c.routingTable('foo'), { ring: { size: 16, nodes: ['foo', 'bar', 'baz'], owners } });
  });
}
