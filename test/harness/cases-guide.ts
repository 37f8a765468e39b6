// The guide's own test suite (guide-spec.md section 10). In the guide the distributed tests need a
// second node started by hand; here every node is started by the host.
import { guideTable, rejectsWith } from '../helpers.js';
import type { Suite } from './suite.js';
import { guide } from './configs.js';

/** Registers the guide's test suite. */
export function guideCases(s: Suite): void {
  s.test('KV.Bucket: stores values by key', guide, async (c, t) => {
    const kv = c.client();
    await kv.create('milkbar');
    t.is(await kv.route('milkbar', 'KV.Bucket', 'get', ['milkbar', 'milk']), undefined);
    t.is(await kv.route('milkbar', 'KV.Bucket', 'put', ['milkbar', 'milk', '3']), 'ok');
    t.is(await kv.route('milkbar', 'KV.Bucket', 'get', ['milkbar', 'milk']), '3');
    t.is(await kv.get('milkbar', 'milk'), '3');
  });

  s.test('KV.Bucket: delete returns the previous value', guide, async (c, t) => {
    const kv = c.client();
    await kv.create('shopping');
    await kv.put('shopping', 'eggs', '12');
    t.is(await kv.route('shopping', 'KV.Bucket', 'delete', ['shopping', 'eggs']), '12');
    t.is(await kv.delete('shopping', 'eggs'), undefined);
  });

  s.test('KV.Registry: spawns buckets', guide, async (c, t) => {
    t.is(await c.call('bar', 'KV.Registry', 'lookup', ['shopping']), null);
    t.is(await c.call('bar', 'KV.Registry', 'create', ['shopping']), 'bar');
    t.is(await c.call('bar', 'KV.Registry', 'lookup', ['shopping']), 'bar');
    t.is(await c.call('bar', 'KV.Bucket', 'put', ['shopping', 'milk', '1']), 'ok');
    t.is(await c.call('bar', 'KV.Bucket', 'get', ['shopping', 'milk']), '1');
  });

  for (const how of ['normally', 'on crash']) {
    s.test(`KV.Registry: removes buckets when they stop ${how}`, guide, async (c, t) => {
      const kv = c.client();
      await kv.create('shopping');
      await kv.put('shopping', 'milk', '1');
      t.is(await c.call('bar', 'KV.Bucket', 'stop', ['shopping', how === 'normally' ? 'normal' : 'shutdown']), 'ok');
      t.is(await c.call('bar', 'KV.Registry', 'lookup', ['shopping']), null);
      await rejectsWith(t, kv.get('shopping', 'milk'), 'KV_ERR_NO_BUCKET', 'no bucket "shopping" on node "bar" (create it first)');
      await kv.create('shopping');
      t.is(await kv.get('shopping', 'milk'), undefined, 'a re-created bucket starts empty');
    });
  }

  s.test('KV.Router: routes requests across nodes', guide, async (c, t) => {
    const kv = c.client();
    t.is(await kv.route('hello', 'Kernel', 'node', []), 'foo');
    t.is(await kv.route('world', 'Kernel', 'node', []), 'bar');
  });

  s.test('KV.Router: raises on unknown entries', guide, async (c, t) => {
    const kv = c.client();
    await rejectsWith(t, kv.route('\u0000', 'Kernel', 'node', []), 'KV_ERR_NO_ROUTE', 'no route for bucket "\\x00" (first byte 0x00) on node "foo": its table is [a-m → foo, n-z → bar]');
    t.is(await kv.route('hello', 'Kernel', 'node', []), 'foo', 'the next request is still served');
  });

  const swapped = { routingTable: [{ range: 'a-z', node: 'foo' }], nodes: { foo: {}, bar: { routingTable: [{ range: 'a-z', node: 'bar' }] } } };
  s.test('KV.Router: the router test swaps the table and restores it (setup_all / on_exit)', swapped, async (c, t) => {
    const kv = c.client();
    const saved = c.routingTable('foo');
    t.is(await kv.route('world', 'Kernel', 'node', []), 'foo');
    await c.setRoutingTable('foo', guideTable);
    t.is(await kv.route('world', 'Kernel', 'node', []), 'bar');
    await c.setRoutingTable('foo', saved);
    t.deepEqual(c.routingTable('foo'), saved);
    t.is(await kv.route('world', 'Kernel', 'node', []), 'foo');
  });
}
