/** Nodes joining and leaving a running cluster (`addNode`, `removeNode`) under load, on every host with a supervisor. */
import type { Suite } from './suite.js';
import type { SupervisedCluster } from './host.js';
import type { KvConfig, NodeMembershipEvent } from '../../src/index.js';
import { ownerFrom } from '../../src/core/routing.js';
import type { RoutingTable } from '../../src/core/routing.js';
import { isRing, isSlots } from '../../src/core/partition.js';
import { writeLoad } from './load.js';
import { rejectsWith } from '../helpers.js';
import { slots2 } from './configs.js';

const buckets = Array.from({ length: 30 }, (_, i) => `bucket${i}`);
const ring3: KvConfig = { routingTable: { ring: { size: 64, nodes: ['foo', 'bar', 'baz'] } }, nodes: ['foo', 'bar', 'baz'] };

async function fill(c: SupervisedCluster): Promise<void> {
  const kv = c.client();
  await kv.batch(buckets.map((bucket) => ({ op: 'create' as const, bucket })));
  await kv.batch(buckets.flatMap((bucket) => Array.from({ length: 10 }, (_, k) => ({ op: 'put' as const, bucket, key: `k${k}`, value: 'v' }))));
}

/** Each bucket's holder(s), and where the tables say it belongs. */
async function placement(c: SupervisedCluster): Promise<{ held: string[]; owners: (string | undefined)[] }> {
  const tables = new Map<string, RoutingTable>(c.nodes.map((n) => [n, c.routingTable(n)]));
  const held = await Promise.all(buckets.map(async (b) => (await Promise.all(c.nodes.map((n) => c.call<string | null>(n, 'KV.Registry', 'lookup', [b])))).filter((x) => x !== null).join('+')));
  return { held, owners: buckets.map((b) => ownerFrom(tables, c.nodes[0] as string, b)) };
}

/** Registers the join and leave cases. */
export function membershipCases(s: Suite): void {
  s.testWith(['supervision'], 'a node joins hash slots under load: it takes ⌊16384/3⌋ slots from the others, with their buckets; nothing acknowledged is lost', slots2, async (c, t, h) => {
    await fill(c);
    const joined = new Promise<NodeMembershipEvent>((resolve) => c.once('nodejoin', resolve));
    const load = writeLoad(c, buckets, 6, ['foo', 'bar']);
    const result = await c.addNode('baz');
    const { errors, check } = await load.stop();
    t.true(result.committed, result.reason);
    t.deepEqual(await h.settle(joined, 5000, 'nodejoin'), { node: 'baz' });
    t.deepEqual(c.nodes, ['foo', 'bar', 'baz']);
    t.deepEqual(
      c.status().map((st) => [st.node, st.state]),
      [
        ['foo', 'up'],
        ['bar', 'up'],
        ['baz', 'up'],
      ],
    );
    const table = c.routingTable('baz');
    if (!isSlots(table)) return t.fail('baz routes by slots');
    t.is(
      table.slots.filter((e) => e.node === 'baz').reduce((n, e) => n + e.to - e.from + 1, 0),
      5461,
    );
    t.deepEqual(c.routingTable('foo'), table);
    t.deepEqual(errors, []);
    t.deepEqual((await check()).lost, []);
    const { held, owners } = await placement(c);
    t.deepEqual(held, owners);
    t.true(held.includes('baz'));
    t.is(await c.client({ via: 'baz' }).get(buckets[0] as string, 'k9'), 'v');
    t.deepEqual(
      (await Promise.all(c.nodes.map((n) => c.stats(n)))).map((st) => st.tableVersion),
      [1, 1, 1],
    );
  });

  s.testWith(['supervision'], 'a node leaves a ring under load: it hands everything off, only its partitions move, then it is gone', ring3, async (c, t, h) => {
    await fill(c);
    const before = c.routingTable('foo');
    const left = new Promise<NodeMembershipEvent>((resolve) => c.once('nodeleave', resolve));
    const load = writeLoad(c, buckets, 6, ['foo', 'bar']);
    const result = await c.removeNode('baz');
    const { errors, check } = await load.stop();
    t.true(result.committed, result.reason);
    t.deepEqual(await h.settle(left, 5000, 'nodeleave'), { node: 'baz' });
    t.deepEqual(c.nodes, ['foo', 'bar']);
    t.deepEqual(
      c.status().map((st) => st.node),
      ['foo', 'bar'],
    );
    const after = c.routingTable('bar');
    if (!isRing(after) || !isRing(before)) return t.fail('a ring before and after');
    t.deepEqual(after.ring.nodes, ['foo', 'bar']);
    t.true(
      after.ring.owners.every((o, p) => o === before.ring.owners[p] || before.ring.owners[p] === 'baz'),
      'only baz’s partitions moved',
    );
    t.deepEqual(errors, []);
    t.deepEqual((await check()).lost, []);
    const { held, owners } = await placement(c);
    t.deepEqual(held, owners);
    t.throws(() => c.client({ via: 'baz' }), { message: 'unknown node "baz" (nodes: foo, bar)' });
    // The next join gets a new link index; the old name is not reused.
    await rejectsWith(t, c.addNode('baz'), 'KV_ERR_BAD_CONFIG', 'invalid configuration (1 issue):\n  - nodes.baz: node "baz" is (or was) in the cluster: names are not reused');
    t.true((await c.addNode('qux')).committed);
    t.deepEqual(c.nodes, ['foo', 'bar', 'qux']);
  });

  const ranges: KvConfig = {
    routingTable: [
      { range: 'a-m', node: 'foo' },
      { range: 'n-z', node: 'bar' },
    ],
    nodes: ['foo', 'bar'],
  };
  s.testWith(['supervision'], 'joins and leaves refuse what they cannot do, naming why; the next request is served', ranges, async (c, t) => {
    await rejectsWith(t, c.addNode('foo'), 'KV_ERR_BAD_CONFIG', 'invalid configuration (1 issue):\n  - nodes.foo: node "foo" is (or was) in the cluster: names are not reused');
    await rejectsWith(t, c.addNode('9lives'), 'KV_ERR_BAD_CONFIG', 'invalid configuration (1 issue):\n  - nodes: invalid node name "9lives": expected a letter or _ then letters, digits, _ . - (at most 64)');
    await rejectsWith(
      t,
      c.addNode('qux', { port: -1, colour: 'red' } as never),
      'KV_ERR_BAD_CONFIG',
      'invalid configuration (2 issues):\n  - nodes.qux.colour: unknown key (allowed: routingTable, port, host, storage, maxConnections, restart, resourceLimits, resp, modules)\n  - nodes.qux.port: expected an integer from 0 to 65535 but received number -1',
    );
    await rejectsWith(t, c.removeNode('nobody'), 'KV_ERR_UNKNOWN_NODE', 'unknown node "nobody" (nodes: foo, bar)');
    await rejectsWith(t, c.removeNode('bar'), 'KV_ERR_BAD_CONFIG', 'invalid configuration (1 issue):\n  - nodes.foo.routingTable: byte ranges still send buckets to node "bar": they are not re-claimed; reshard them to other nodes first');
    // On byte ranges a node joins owning nothing: it routes as the others do.
    const joined = await c.addNode('qux');
    t.true(joined.committed);
    t.is(joined.moved.buckets, 0);
    await c.client({ via: 'qux' }).create('apple');
    t.is(await c.call('foo', 'KV.Registry', 'lookup', ['apple']), 'foo');
    await rejectsWith(
      t,
      c
        .removeNode('qux')
        .then(() => c.removeNode('foo'))
        .then(() => c.removeNode('bar')),
      'KV_ERR_BAD_CONFIG',
    );
    t.deepEqual(c.nodes, ['foo', 'bar']);
  });
}
