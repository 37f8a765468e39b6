/** Where servers run: forwarding from the serving node, server-only nodes, several servers, busy ports, connection limits. */
import test from 'ava';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { startCluster } from '../../src/index.js';
import { cluster, rejectsWith } from '../helpers.js';
import { TestClient, client } from './client.js';

const guide = [
  { range: 'a-m', node: 'foo' },
  { range: 'n-z', node: 'bar' },
];

test('two nodes: the serving node forwards to the owner, and CREATE makes the bucket there', async (t) => {
  const c = await cluster(t, { routingTable: guide, nodes: { foo: { port: 0 }, bar: {} } });
  t.deepEqual([...c.ports.keys()], ['foo'], 'only nodes with a port serve');
  const s = await client(t, c.ports.get('foo') as number);
  t.is(await s.request('CREATE shopping\r\nPUT shopping k 1\r\nGET shopping k\r\n', 4), 'OK\r\nOK\r\n1\r\nOK\r\n');
  t.is(await c.call('bar', 'KV.Registry', 'lookup', ['shopping']), 'bar');
  t.is(await c.call('foo', 'KV.Registry', 'lookup', ['shopping']), null);
  t.is(await s.request('CREATE apple\r\nPUT apple k 2\r\nGET apple k\r\n', 4), 'OK\r\nOK\r\n2\r\nOK\r\n');
  t.is(await c.call('foo', 'KV.Registry', 'lookup', ['apple']), 'foo');
  const [foo, bar] = [await c.stats('foo'), await c.stats('bar')];
  t.is(foo.forwarded, 3, 'the three shopping commands took one hop each; the apple ones none');
  t.is(bar.buckets, 1);
  t.is(await c.client().get('shopping', 'k'), '1', 'the library client sees what the TCP client wrote');
});

test('a server-only node (storage: false) holds nothing and routes everything', async (t) => {
  const c = await cluster(t, {
    nodes: {
      front: { port: 0, storage: false, routingTable: [{ range: 'a-z', node: 'back' }] },
      back: { routingTable: [{ range: 'a-z', node: 'back' }] },
    },
  });
  const s = await client(t, c.ports.get('front') as number);
  t.is(await s.request('CREATE cart\r\nPUT cart k v\r\nGET cart k\r\nDELETE cart k\r\nGET cart k\r\nGET none k\r\n', 8), 'OK\r\nOK\r\nv\r\nOK\r\nOK\r\n\r\nOK\r\nNOT FOUND\r\n');
  t.is((await c.stats('front')).buckets, 0);
  t.is((await c.stats('back')).buckets, 1);
  t.regex(await s.request('GET Cart k\r\n'), /^ERROR no route for bucket "Cart" \(first byte 0x43\) on node "front"/);
});

test('several nodes serve at once, each through its own router', async (t) => {
  const c = await cluster(t, { routingTable: guide, nodes: { foo: { port: 0 }, bar: { port: 0 } } });
  const [a, b] = [await client(t, c.ports.get('foo') as number), await client(t, c.ports.get('bar') as number)];
  t.not(c.ports.get('foo'), c.ports.get('bar'));
  t.is(await a.request('CREATE zoo\r\nPUT zoo k 1\r\n', 2), 'OK\r\nOK\r\n');
  t.is(await b.request('GET zoo k\r\nCREATE ant\r\nPUT ant k 2\r\n', 4), '1\r\nOK\r\nOK\r\nOK\r\n');
  t.is(await a.request('GET ant k\r\n', 2), '2\r\nOK\r\n');
  t.is((await c.stats('bar')).forwarded, 2, 'bar forwarded CREATE ant and PUT ant to foo');
});

test('a busy port fails startCluster with KV_ERR_LISTEN naming node, host and port', async (t) => {
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  t.teardown(() => blocker.close());
  const busy = (blocker.address() as AddressInfo).port;
  await rejectsWith(t, startCluster({ config: { routingTable: guide, nodes: { foo: {}, bar: { port: busy } } } }), 'KV_ERR_LISTEN', `node "bar" cannot listen on 127.0.0.1:${busy}: the port is already in use (EADDRINUSE); change nodes.bar.port or .host in the configuration (port 0 takes a free port)`);
});

test('maxConnections: an extra client gets one ERROR line and is closed; a freed place is reused at once', async (t) => {
  const c = await cluster(t, { routingTable: guide, nodes: { foo: { port: 0, maxConnections: 2 }, bar: {} } });
  const port = c.ports.get('foo') as number;
  const [one, two] = [await client(t, port), await client(t, port)];
  t.is(await one.request('CREATE apple\r\n'), 'OK\r\n');
  t.is(await two.request('GET apple k\r\n', 2), '\r\nOK\r\n');
  const three = await client(t, port);
  t.is(await three.rest(), 'ERROR too many connections: node "foo" serves at most 2 clients at once (maxConnections); try again later\r\n');
  one.end();
  t.is(await one.rest(), '');
  const four = await client(t, port);
  t.is(await four.request('GET apple k\r\n', 2), '\r\nOK\r\n');
  t.is(await two.request('GET apple k\r\n', 2), '\r\nOK\r\n', 'the others were never affected');
});

test('the server listens on the configured host only (default 127.0.0.1)', async (t) => {
  const c = await cluster(t, { routingTable: guide, nodes: { foo: { port: 0, host: '127.0.0.2' }, bar: { port: 0 } } });
  const s = await client(t, c.ports.get('bar') as number);
  await t.throwsAsync(TestClient.connect(c.ports.get('foo') as number, '127.0.0.1'), { code: 'ECONNREFUSED' });
  const s2 = await TestClient.connect(c.ports.get('foo') as number, '127.0.0.2');
  t.teardown(() => s2.destroy());
  t.is(await s2.request('HELLO\r\n'), 'UNKNOWN COMMAND\r\n');
  t.is(await s.request('HELLO\r\n'), 'UNKNOWN COMMAND\r\n', 'bar serves 127.0.0.1 by default');
});
