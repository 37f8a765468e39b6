/** protocol.md's error table: where the reference server drops the connection, kvmesh answers ERROR and keeps serving. */
import test from 'ava';
import { once } from 'node:events';
import { cluster, holdNode } from '../helpers.js';
import { client } from './client.js';

const guide = [
  { range: 'a-m', node: 'foo' },
  { range: 'n-z', node: 'bar' },
];

test('no routing entry: ERROR naming the bucket and the node, connection stays open', async (t) => {
  const c = await cluster(t, { routingTable: guide, nodes: { foo: { port: 0 }, bar: {} } });
  const s = await client(t, c.ports.get('foo') as number);
  t.is(await s.request('GET Shopping k\r\n'), 'ERROR no route for bucket "Shopping" (first byte 0x53) on node "foo": its table is [a-m \xe2\x86\x92 foo, n-z \xe2\x86\x92 bar]\r\n');
  t.is(await s.request('CREATE \xff\x01\r\n'), 'ERROR no route for bucket "\\xff\\x01" (first byte 0xff) on node "foo": its table is [a-m \xe2\x86\x92 foo, n-z \xe2\x86\x92 bar]\r\n', 'CREATE is routed too');
  t.is(await s.request('PUT \xc3\xa9t\xc3\xa9 k v\r\n'), 'ERROR no route for bucket "\xc3\xa9t\xc3\xa9" (first byte 0xc3) on node "foo": its table is [a-m \xe2\x86\x92 foo, n-z \xe2\x86\x92 bar]\r\n');
  t.is(
    await s.request('DELETE _x k\r\nGET {x k\r\nCREATE a\r\nGET a k\r\n', 5),
    ['ERROR no route for bucket "_x" (first byte 0x5f) on node "foo": its table is [a-m \xe2\x86\x92 foo, n-z \xe2\x86\x92 bar]\r\n', 'ERROR no route for bucket "{x" (first byte 0x7b) on node "foo": its table is [a-m \xe2\x86\x92 foo, n-z \xe2\x86\x92 bar]\r\n', 'OK\r\n', '\r\nOK\r\n'].join(''),
    'an ERROR takes its place in order among pipelined replies',
  );
});

test('more hops than the hop limit: ERROR naming the path', async (t) => {
  const c = await cluster(t, {
    hopLimit: 1,
    nodes: {
      foo: { port: 0, routingTable: [{ range: 'a-z', node: 'bar' }] },
      bar: { routingTable: [{ range: 'a-z', node: 'baz' }] },
      baz: { routingTable: [{ range: 'a-z', node: 'baz' }] },
    },
  });
  const s = await client(t, c.ports.get('foo') as number);
  t.is(await s.request('CREATE far\r\n'), 'ERROR too many hops for bucket "far": forwarded 1 time (the hop limit) along foo \xe2\x86\x92 bar \xe2\x86\x92 baz\r\n');
  t.is(await s.request('HELLO\r\n'), 'UNKNOWN COMMAND\r\n', 'still served');
});

test('owner node down: ERROR, and buckets of live nodes keep working on the same connection', async (t) => {
  const c = await cluster(t, { routingTable: guide, modules: { Stall: 'stall.js' }, nodes: { foo: { port: 0 }, bar: { restart: 'never' } } });
  const s = await client(t, c.ports.get('foo') as number);
  t.is(await s.request('CREATE apple\r\nCREATE zebra\r\nPUT zebra k v\r\n', 3), 'OK\r\nOK\r\nOK\r\n');
  c.on('taskerror', () => undefined);
  const down = once(c, 'nodedown');
  void c.spawn('bar', 'Stall', 'die', []);
  await down;
  t.regex(await s.request('GET zebra k\r\n'), /^ERROR node "bar" is down\r\n$/);
  t.is(await s.request('PUT apple k 1\r\nGET apple k\r\n', 3), 'OK\r\n1\r\nOK\r\n');
});

test('no answer within the request timeout: ERROR, then the next request is served', async (t) => {
  const c = await cluster(t, { routingTable: guide, timeout: 200, modules: { Stall: 'stall.js' }, nodes: { foo: { port: 0 }, bar: {} } });
  const s = await client(t, c.ports.get('foo') as number);
  t.is(await s.request('CREATE zebra\r\n'), 'OK\r\n');
  const { held, release } = await holdNode(t, c, 'bar');
  t.regex(await s.request('GET zebra k\r\n'), /^ERROR no reply to get of bucket "zebra" from node "bar" \(entered at node "foo"\) within 200 ms\r\n$/);
  t.is(await s.request('CREATE apple\r\nGET apple k\r\n', 3), 'OK\r\n\r\nOK\r\n', 'buckets of foo still served meanwhile');
  release();
  t.is(await held, 'released');
  t.is(await s.request('GET zebra k\r\n', 2), '\r\nOK\r\n');
});

test('a line longer than the maximum: one ERROR, the rest discarded up to its newline, the next line served', async (t) => {
  const c = await cluster(t, { routingTable: guide, maxLineLength: 64, nodes: { foo: { port: 0 }, bar: {} } });
  const s = await client(t, c.ports.get('foo') as number);
  const tooLong = 'ERROR line too long: more than 64 bytes before its newline (the maxLineLength setting); the rest of the line is discarded\r\n';
  const exact = `PUT big k ${'x'.repeat(54)}`;
  t.is(exact.length, 64);
  t.is(await s.request(`CREATE big\r\n${exact}\r\nGET big k\r\n`, 4), `OK\r\nOK\r\n${'x'.repeat(54)}\r\nOK\r\n`, 'a line of exactly the maximum is served');
  s.send(`PUT big k ${'y'.repeat(55)}\r\n`);
  t.is(await s.read(1), tooLong);
  t.is(await s.request('GET big k\r\n', 2), `${'x'.repeat(54)}\r\nOK\r\n`, 'the over-long PUT did not run, nor any piece of it');
  // A megabyte in small writes, then the newline: still one ERROR only.
  s.send('PUT big k ');
  for (let i = 0; i < 256; i++) s.send('z'.repeat(4096));
  s.send('\r\nGET big k\r\n');
  t.is(await s.read(3), `${tooLong}${'x'.repeat(54)}\r\nOK\r\n`);
  t.is(s.pending, '');
});

test('the default maximum is 1 MiB: a line of 1 MiB is served whole (the reference cuts at 1460 bytes)', async (t) => {
  const c = await cluster(t, { routingTable: guide, nodes: { foo: { port: 0 }, bar: {} } });
  const s = await client(t, c.ports.get('foo') as number);
  const value = 'v'.repeat(1024 * 1024 - 'PUT big k '.length);
  t.is(await s.request(`CREATE big\r\nPUT big k ${value}\r\nGET big k\r\n`, 4), `OK\r\nOK\r\n${value}\r\nOK\r\n`);
  t.regex(await s.request(`PUT big k ${value}w\r\n`), /^ERROR line too long: more than 1048576 bytes/);
});
