import { createServer } from 'node:net';
import test from 'ava';
import { cluster, guideTable } from '../helpers.js';
import { TestClient, client } from '../server/client.js';
import { nextEvent } from './helpers.js';

/** A port that was free a moment ago (for a node that must come back on the same port). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

test('TCP: clients of a killed node lose their connection; others get ERROR for its buckets and keep theirs; the restarted node serves again', async (t) => {
  const c = await cluster(t, { routingTable: guideTable, nodes: { foo: { port: 0 }, bar: { port: 0 } } });
  const atFoo = await client(t, c.ports.get('foo') as number);
  const atBar = await client(t, c.ports.get('bar') as number);
  t.is(await atFoo.request('CREATE nut\nPUT nut k v\n', 2), 'OK\r\nOK\r\n');
  t.is(await atBar.request('CREATE apple\nPUT apple k v\n', 2), 'OK\r\nOK\r\n');
  const up = nextEvent(c, 'nodeup', 'bar');
  await c.kill('bar');
  // The dead thread's sockets are gone with it: its clients see the close, nothing hangs.
  t.is(await atBar.rest(), '');
  t.true(atBar.closed);
  // foo answers for bar's buckets with an ERROR line, and keeps the connection and its own buckets.
  t.regex(await atFoo.request('GET nut k\n'), /^ERROR node "bar" is down\r\n$/);
  t.is(await atFoo.request('GET apple k\n', 2), 'v\r\nOK\r\n');
  await up;
  // bar is back, empty (its buckets died with it), on the port cluster.ports now reports.
  t.is(await atFoo.request('GET nut k\n'), 'NOT FOUND\r\n');
  const again = await client(t, c.ports.get('bar') as number);
  t.is(await again.request('CREATE nut\nPUT nut k 2\nGET nut k\nGET apple k\n', 6), 'OK\r\nOK\r\n2\r\nOK\r\nv\r\nOK\r\n');
});

test('TCP: a node with a fixed port listens on the same port after its restart', async (t) => {
  const port = await freePort();
  const c = await cluster(t, { routingTable: guideTable, nodes: { foo: {}, bar: { port } } });
  t.is(c.ports.get('bar'), port);
  const before = await TestClient.connect(port);
  t.is(await before.request('CREATE nut\n'), 'OK\r\n');
  const up = nextEvent(c, 'nodeup', 'bar');
  await c.kill('bar');
  await up;
  t.is(c.ports.get('bar'), port);
  const after = await client(t, port);
  t.is(await after.request('GET nut k\nCREATE nut\nGET nut k\n', 4), 'NOT FOUND\r\nOK\r\n\r\nOK\r\n');
  before.destroy();
  t.deepEqual(c.status()[1], { node: 'bar', state: 'up', restarts: 1, processes: 0, reason: 'node "bar" is down: killed by cluster.kill' });
});
