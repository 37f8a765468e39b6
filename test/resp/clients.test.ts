/**
 * Real Redis clients with their default options (ioredis 6, node-redis 6 and 5) against a
 * node's RESP server: the handshake each sends passes, the data commands work, and they see
 * the same data as `KvClient` and the text protocol. Keys of bucket zebra live on bar, so
 * they are forwarded by foo's router.
 */
import test from 'ava';
import type { ExecutionContext } from 'ava';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { createClient as createClient5 } from 'redis5';
import { cluster, guideTable } from '../helpers.js';
import { client } from '../server/client.js';
import type { Cluster } from '../../src/index.js';

const config = { routingTable: [...guideTable, { range: '{', node: 'foo' }], nodes: { foo: { port: 0, resp: { port: 0 } }, bar: {} } };

/** The data commands through one client, and the same data through the API and the text protocol. */
async function sameData(t: ExecutionContext, c: Cluster, r: DataClient, tag: string): Promise<void> {
  t.is(await r.set(`apple:${tag}`, 'red'), 'OK');
  t.is(await r.set(`zebra:${tag}`, 'stripes'), 'OK');
  t.is(await r.get(`zebra:${tag}`), 'stripes');
  t.is(await r.get(`none:${tag}`), null);
  t.is(await r.incr(`count:${tag}`), 1);
  t.is(await r.incr(`count:${tag}`), 2);
  t.is(await r.hset(`nest${tag}`, 'twig', 'x'), 1);
  t.deepEqual({ ...((await r.hgetall(`nest${tag}`)) as object) }, { twig: 'x' });
  t.is(await r.del(`apple:${tag}`), 1);
  const kv = c.client();
  t.is(await kv.get('zebra', tag), 'stripes', 'KvClient reads what RESP wrote (forwarded to bar)');
  t.is(await kv.get('count', tag), '2');
  t.is(await kv.get('apple', tag), undefined);
  await kv.put('zebra', `${tag}-api`, 'from the API');
  t.is(await r.get(`zebra:${tag}-api`), 'from the API');
  const text = await client(t, c.ports.get('foo') as number);
  t.is(await text.request(`GET nest${tag} twig\r\n`, 2), 'x\r\nOK\r\n', 'the text protocol reads what HSET wrote');
}

/** What the three clients have in common, as these tests use it. */
interface DataClient {
  set(k: string, v: string): Promise<unknown>;
  get(k: string): Promise<unknown>;
  incr(k: string): Promise<unknown>;
  hset(k: string, f: string, v: string): Promise<unknown>;
  hgetall(k: string): Promise<unknown>;
  del(k: string): Promise<unknown>;
}

test('ioredis 6 (RESP3 by default, INFO ready check) connects and serves the data commands', async (t) => {
  const c = await cluster(t, config);
  const r = new Redis({ port: c.respPorts.get('foo') as number, host: '127.0.0.1' });
  t.teardown(() => r.disconnect());
  const errors: string[] = [];
  r.on('error', (e: Error) => errors.push(e.message));
  await sameData(t, c, r, 'io');
  t.deepEqual(await r.mget('zebra:io', 'zebra:none'), ['stripes', null]);
  t.deepEqual(await r.hkeys('nestio'), ['twig']);
  await t.throwsAsync(r.call('LPUSH', 'l', 'a'), { message: "ERR unknown command 'LPUSH', with args beginning with: 'l' 'a'" });
  t.is(await r.get('zebra:io'), 'stripes', 'the connection goes on after an error');
  t.deepEqual(errors, []);
});

test('node-redis 6 (HELLO 3 required) connects and serves the data commands', async (t) => {
  const c = await cluster(t, config);
  const r = createClient({ socket: { port: c.respPorts.get('foo') as number, host: '127.0.0.1', reconnectStrategy: false } });
  const errors: string[] = [];
  r.on('error', (e: Error) => errors.push(e.message));
  await r.connect();
  t.teardown(() => r.destroy());
  await sameData(t, c, { set: (k, v) => r.set(k, v), get: (k) => r.get(k), incr: (k) => r.incr(k), hset: (k, f, v) => r.hSet(k, f, v), hgetall: (k) => r.hGetAll(k), del: (k) => r.del(k) }, 'n6');
  t.is(await r.exists('zebra:n6'), 1);
  t.is(await r.ping(), 'PONG');
  t.deepEqual(errors, []);
});

test('node-redis 5 (RESP2 by default) connects and serves the data commands', async (t) => {
  const c = await cluster(t, config);
  const r = createClient5({ socket: { port: c.respPorts.get('foo') as number, host: '127.0.0.1', reconnectStrategy: false } });
  const errors: string[] = [];
  r.on('error', (e: Error) => errors.push(e.message));
  await r.connect();
  t.teardown(() => r.destroy());
  await sameData(t, c, { set: (k, v) => r.set(k, v), get: (k) => r.get(k), incr: (k) => r.incr(k), hset: (k, f, v) => r.hSet(k, f, v), hgetall: (k) => r.hGetAll(k), del: (k) => r.del(k) }, 'n5');
  t.deepEqual(await r.mGet(['zebra:n5', 'zebra:none']), ['stripes', null]);
  t.deepEqual(errors, []);
});

test('a kvmesh failure is a RESP error with a readable prefix, and the connection goes on', async (t) => {
  const c = await cluster(t, { routingTable: [{ range: 'a-m', node: 'foo' }], nodes: { foo: { resp: { port: 0 } } } });
  const r = new Redis({ port: c.respPorts.get('foo') as number, host: '127.0.0.1' });
  t.teardown(() => r.disconnect());
  await t.throwsAsync(r.set('zebra:1', 'x'), { message: 'NOROUTE no route for bucket "zebra" (first byte 0x7a) on node "foo": its table is [a-m → foo]' });
  t.is(await r.set('apple:1', 'x'), 'OK');
});
