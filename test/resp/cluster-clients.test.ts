/**
 * Cluster clients (ioredis `Cluster`, node-redis 6 and 5 `createCluster`) seeded with a node
 * that owns no slot: they read the slot map from it (CLUSTER SLOTS, and CLUSTER INFO for
 * ioredis), then send every key straight to the owner, which serves it with no hop.
 */
import test from 'ava';
import { Cluster as IoCluster } from 'ioredis';
import { createCluster } from 'redis';
import { createCluster as createCluster5 } from 'redis5';
import { cluster } from '../helpers.js';

const config = { routingTable: [{ range: [0, 255] as [number, number], node: 'foo' }], nodes: { foo: { resp: { port: 0, cluster: true } }, bar: { storage: false, resp: { port: 0, cluster: true } } } };

test('ioredis Cluster learns the slots from a node that owns none and sends each key to its owner', async (t) => {
  const c = await cluster(t, config);
  const io = new IoCluster([{ host: '127.0.0.1', port: c.respPorts.get('bar') as number }]);
  t.teardown(() => io.disconnect());
  t.is(await io.set('user:1', 'alice'), 'OK');
  t.is(await io.get('user:1'), 'alice');
  t.is(await io.hset('{cart}', 'milk', '2'), 1);
  t.is(await io.hget('{cart}', 'milk'), '2');
  t.is(await io.incr('{n}:hits'), 1);
  t.deepEqual(await io.mget('{n}:hits', '{n}:none'), ['1', null]);
  t.is(await c.client().get('{n}', 'hits'), '1', 'a key with a hash tag before its colon keeps the proxy split');
  t.is((await c.stats('bar')).forwarded, 0, 'bar was asked for the slots (and INFO), and never for a key');
});

for (const [name, make] of [
  ['node-redis 6', createCluster],
  // The two majors' option types differ in generics only.
  ['node-redis 5', createCluster5 as unknown as typeof createCluster],
] as const) {
  test(`${name} createCluster learns the slots and sends each key to its owner`, async (t) => {
    const c = await cluster(t, config);
    const r = make({ rootNodes: [{ socket: { host: '127.0.0.1', port: c.respPorts.get('bar') as number } }] });
    const errors: string[] = [];
    r.on('error', (e: Error) => errors.push(e.message));
    await r.connect();
    t.teardown(() => r.destroy());
    t.is(await r.set('user:2', 'bob'), 'OK');
    t.is(await r.get('user:2'), 'bob');
    t.is(await r.incr('{n}:hits'), 1);
    t.is((await c.stats('bar')).forwarded, 0);
    t.deepEqual(errors, []);
  });
}
