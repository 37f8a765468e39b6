/** Routing: hop by hop with each node's own table, the hop limit, no route, and tables changed at run time. */
import { rejectsWith } from '../helpers.js';
import type { Suite } from './suite.js';
import { chain } from './configs.js';

/** Registers the routing cases. */
export function routingCases(s: Suite): void {
  s.test('a request is forwarded hop by hop, each node routing with its own table', chain, async (c, t) => {
    const kv = c.client({ via: 'foo' });
    t.is(await kv.route('apple', 'Kernel', 'node', []), 'baz');
    await kv.create('apple');
    await kv.put('apple', 'k', 'v');
    t.is(await c.call('baz', 'KV.Registry', 'lookup', ['apple']), 'baz');
    t.is(await c.call('bar', 'KV.Registry', 'lookup', ['apple']), null);
    t.is(await c.client({ via: 'bar' }).get('apple', 'k'), 'v');
    const [foo, bar, baz] = await Promise.all(['foo', 'bar', 'baz'].map((n) => c.stats(n)));
    t.is(foo?.forwarded, 3);
    t.is(bar?.forwarded, 4);
    t.is(baz?.forwarded, 0);
  });

  s.test('past the hop limit a request fails with KV_ERR_TOO_MANY_HOPS naming the path', { ...chain, hopLimit: 1 }, async (c, t) => {
    const kv = c.client({ via: 'foo' });
    await rejectsWith(t, kv.route('apple', 'Kernel', 'node', []), 'KV_ERR_TOO_MANY_HOPS', 'too many hops for bucket "apple": forwarded 1 time (the hop limit) along foo → bar → baz');
    await rejectsWith(t, kv.create('apple'), 'KV_ERR_TOO_MANY_HOPS', 'too many hops for bucket "apple": forwarded 1 time (the hop limit) along foo → bar → baz');
    t.is(await c.client({ via: 'bar' }).route('apple', 'Kernel', 'node', []), 'baz', 'one hop is still allowed');
    t.is(await kv.route('\u0000', 'Kernel', 'node', []).catch((e: { code: string }) => e.code), 'KV_ERR_NO_ROUTE');
  });

  const down = { nodes: { foo: { routingTable: [{ range: [0, 255] as [number, number], node: 'bar' }] }, bar: { routingTable: [{ range: 'a-z', node: 'bar' }] } } };
  s.test('no entry on a node further down the path: the error names that node and its table', down, async (c, t) => {
    await rejectsWith(t, c.client().create('Zebra'), 'KV_ERR_NO_ROUTE', 'no route for bucket "Zebra" (first byte 0x5a) on node "bar": its table is [a-z → bar]');
    await rejectsWith(t, c.client().create(''), 'KV_ERR_NO_ROUTE', 'no route for an empty bucket name on node "foo": routing needs a first byte');
    await c.client().create('zebra');
  });

  const bytes = {
    routingTable: [
      { range: [0xc3, 0xc3] as [number, number], node: 'bar' },
      { range: [0, 0xc2] as [number, number], node: 'foo' },
    ],
    nodes: ['foo', 'bar'],
  };
  s.test('routing is by first byte, not first character', bytes, async (c, t) => {
    t.is(await c.client().route('été', 'Kernel', 'node', []), 'bar');
    t.is(await c.client().route('ete', 'Kernel', 'node', []), 'foo');
  });

  s.test('setRoutingTable is validated and linted against the other tables first', chain, async (c, t) => {
    await rejectsWith(t, c.setRoutingTable('baz', [{ range: 'a-z', node: 'foo' }]), 'KV_ERR_BAD_CONFIG', 'invalid configuration (1 issue):\n  - table for node "baz": bytes a-z loop between nodes: bar → baz → foo → bar');
    await rejectsWith(t, c.setRoutingTable('baz', [{ range: 'z-a', node: 'foo' }]), 'KV_ERR_BAD_CONFIG', 'invalid configuration (1 issue):\n  - table for node "baz"[0].range: range "z-a" is reversed: z comes after a');
    await rejectsWith(t, c.setRoutingTable('qux', []), 'KV_ERR_UNKNOWN_NODE', 'unknown node "qux" (nodes: foo, bar, baz)');
    t.deepEqual(c.routingTable('baz'), [{ from: 0x61, to: 0x7a, node: 'baz' }], 'a rejected table changes nothing');
    const { warnings } = await c.setRoutingTable('bar', [{ range: 'a-z', node: 'bar' }]);
    t.deepEqual(warnings, ['bytes 0x00-`, {-0xff are covered by no table: buckets starting with them cannot be routed', 'bytes a-z have 2 owners, depending on the node a request enters at (entry → owner: foo → bar, bar → bar, baz → baz): a bucket created via one entry is not found via another']);
    t.is(await c.client().route('apple', 'Kernel', 'node', []), 'bar');
  });

  s.testWith(['supervision'], 'Application.put_env of routing_table on a node changes its routing at once, and the supervisor sees it', chain, async (c, t, h) => {
    const changed = new Promise((resolve) => c.once('routingtable', resolve));
    t.deepEqual(await c.call('bar', 'Application', 'get_env', ['routing_table']), [{ from: 0x61, to: 0x7a, node: 'baz' }]);
    t.is(await c.call('bar', 'Application', 'put_env', ['routing_table', [{ range: 'a-z', node: 'bar' }]]), 'ok');
    t.is(await c.client().route('apple', 'Kernel', 'node', []), 'bar');
    await rejectsWith(t, c.call('bar', 'Application', 'put_env', ['routing_table', [{ range: 'a-z', node: 'foo' }]]), 'KV_ERR_BAD_CONFIG', /bytes a-z loop between nodes: bar → foo → bar/);
    await rejectsWith(t, c.call('bar', 'Application', 'fetch_env', ['port']), 'KV_ERR_BAD_ARGUMENT', 'the application environment of node "bar" has no key "port"');
    t.is(await c.call('bar', 'Application', 'put_env', ['port', 4041]), 'ok');
    t.is(await c.call('bar', 'Application', 'fetch_env', ['port']), 4041);
    t.is(await c.call('foo', 'Application', 'get_env', ['port']), undefined, 'each node has its own environment');
    t.deepEqual(await h.settle(changed, 5000, 'the routingtable event'), { node: 'bar', table: [{ from: 0x61, to: 0x7a, node: 'bar' }] });
    t.deepEqual(c.routingTable('bar'), [{ from: 0x61, to: 0x7a, node: 'bar' }]);
  });

  s.test('a user module can route from inside a node', chain, async (c, t) => {
    t.is(await c.call('foo', 'Hello', 'routeFrom', ['apple']), 'baz');
    t.is(await c.call('baz', 'KV.Router', 'route', ['apple', 'Kernel', 'node', []]), 'baz');
  });
}
