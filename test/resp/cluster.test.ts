/** Cluster mode, pure: the key → bucket rule keeps every key in its slot, and the CLUSTER replies and MOVED against a two-node view. */
import test from 'ava';
import fc from 'fast-check';
import { SLOTS, keySlot } from '../../src/core/slots.js';
import { clusterPlace, proxyPlace, slotBucket } from '../../src/core/resp-keys.js';
import { nodeId } from '../../src/core/resp-cluster.js';
import type { ClusterView } from '../../src/core/resp-cluster.js';
import { reply, session, twoNodes } from './fake-node.js';

test("every slot's bucket is in that slot, named by the tag redis-benchmark picks ({06S} for slot 0)", (t) => {
  t.is(slotBucket(0), '{06S}');
  for (let slot = 0; slot < SLOTS; slot++) if (keySlot(slotBucket(slot)) !== slot) return t.fail(`slot ${slot}: ${slotBucket(slot)}`);
  return t.pass();
});

test('property: in cluster mode a key and its bucket share a slot, whatever the key', (t) => {
  const key = fc.string({ unit: fc.constantFrom(...'ab:{}x1'.split('')), maxLength: 12 });
  fc.assert(fc.property(key, (k) => keySlot(clusterPlace(k).bucket) === keySlot(k)));
  t.pass();
});

test('the proxy split is kept in cluster mode when the bucket holds the hash tag; other keys are stored whole in their slot bucket', (t) => {
  t.deepEqual(clusterPlace('{user}:42'), { bucket: '{user}', key: '42' });
  t.deepEqual(clusterPlace('user{7}:cart'), { bucket: 'user{7}', key: 'cart' });
  t.deepEqual(clusterPlace('user:42'), { bucket: slotBucket(keySlot('user:42')), key: 'user:42' });
  t.deepEqual(proxyPlace('user:42', 'default'), { bucket: 'user', key: '42' });
  t.deepEqual(proxyPlace('a:b:c', 'default'), { bucket: 'a', key: 'b:c' });
});

test('CLUSTER SLOTS, SHARDS, NODES, INFO and MYID describe the nodes and their RESP ports', async (t) => {
  const s = session({ cluster: true });
  const [a, b] = [nodeId('a'), nodeId('b')];
  t.is(a, 'e40c292c27180d0f012461b21e48f0158b953820');
  t.is(await reply(s, 'CLUSTER', 'SLOTS'), `*2\r\n*3\r\n:0\r\n:8191\r\n*3\r\n$9\r\n127.0.0.1\r\n:7000\r\n$40\r\n${a}\r\n*3\r\n:8192\r\n:16383\r\n*3\r\n$9\r\n127.0.0.1\r\n:7001\r\n$40\r\n${b}\r\n`);
  const nodes = `${a} 127.0.0.1:7000@17000 myself,master - 0 0 1 connected 0-8191\n${b} 127.0.0.1:7001@17001 master - 0 0 2 connected 8192-16383\n`;
  t.is(await reply(s, 'CLUSTER', 'NODES'), `$${nodes.length}\r\n${nodes}\r\n`);
  const info = await reply(s, 'cluster', 'info');
  for (const line of ['cluster_state:ok', 'cluster_slots_assigned:16384', 'cluster_known_nodes:2', 'cluster_size:2']) t.true(info.includes(`${line}\r\n`), line);
  t.is(await reply(s, 'CLUSTER', 'MYID'), `$40\r\n${a}\r\n`);
  s.version = 3;
  const shards = await reply(s, 'CLUSTER', 'SHARDS');
  t.true(shards.startsWith(`*2\r\n%2\r\n$5\r\nslots\r\n*2\r\n:0\r\n:8191\r\n$5\r\nnodes\r\n*1\r\n%7\r\n$2\r\nid\r\n$40\r\n${a}\r\n$4\r\nport\r\n:7000\r\n`), shards);
  t.is(await reply(s, 'CLUSTER', 'KEYSLOT', '123456789'), ':12739\r\n');
  t.is(await reply(s, 'CLUSTER', 'RESET'), "-ERR unknown subcommand 'RESET'. Try CLUSTER HELP.\r\n");
});

test('a key of a slot another node serves gets -MOVED; keys of two slots -CROSSSLOT; keys served here run', async (t) => {
  const s = session({ cluster: true });
  // bar: slot 5061 (node a); foo: slot 12182 (node b).
  t.is(await reply(s, 'SET', 'foo', '1'), '-MOVED 12182 127.0.0.1:7001\r\n');
  t.is(await reply(s, 'GET', 'foo'), '-MOVED 12182 127.0.0.1:7001\r\n');
  t.is(await reply(s, 'HSET', 'foo', 'f', 'v'), '-MOVED 12182 127.0.0.1:7001\r\n');
  t.is(await reply(s, 'SET', 'bar', '1'), '+OK\r\n');
  t.is(await reply(s, 'GET', 'bar'), '$1\r\n1\r\n');
  t.is(await reply(s, 'MGET', 'bar', 'foo'), "-CROSSSLOT Keys in request don't hash to the same slot\r\n");
  t.is(await reply(s, 'MSET', '{bar}:1', 'x', '{bar}:2', 'y'), '+OK\r\n');
  t.is(s.storage.registry.lookup('{bar}')?.get('2'), 'y');
  t.is(s.storage.counts().keys, 3, 'nothing refused was written');
});

test('a slot whose owner serves no RESP is served by the node asked (which forwards); proxy mode has no cluster commands but KEYSLOT', async (t) => {
  const lonely: ClusterView = { ...twoNodes, endpoints: async () => [{ host: '127.0.0.1', port: 7000 }, undefined] };
  const s = session({ cluster: true, view: lonely });
  t.is(await reply(s, 'SET', 'foo', '1'), '+OK\r\n');
  t.is(await reply(s, 'CLUSTER', 'SLOTS'), `*1\r\n*3\r\n:0\r\n:16383\r\n*3\r\n$9\r\n127.0.0.1\r\n:7000\r\n$40\r\n${nodeId('a')}\r\n`);
  const proxy = session();
  t.is(await reply(proxy, 'CLUSTER', 'SLOTS'), '-ERR This instance has cluster support disabled\r\n');
  t.is(await reply(proxy, 'CLUSTER', 'KEYSLOT', '{user}:42'), `:${keySlot('user')}\r\n`);
  t.is(await reply(proxy, 'SET', 'foo', '1'), '+OK\r\n');
});
