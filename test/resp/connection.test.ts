/**
 * One RESP connection on the wire (raw bytes): pipelined replies in request order whatever
 * completes first, QUIT, protocol errors that end the connection (the server keeps serving
 * others), a client that does not read, and a node dying under a pipeline.
 */
import test from 'ava';
import { cluster, guideTable, holdNode } from '../helpers.js';
import { client } from '../server/client.js';
import { KvServer } from '../../src/server/server.js';
import { respProtocol } from '../../src/server/resp-codec.js';
import { session } from './fake-node.js';

const config = { routingTable: guideTable, nodes: { foo: { resp: { port: 0 } }, bar: {} }, modules: { Stall: 'stall.js' } };
const cmd = (...args: string[]): string => `*${args.length}\r\n${args.map((a) => `$${a.length}\r\n${a}\r\n`).join('')}`;

test('pipelined requests are answered in order: immediate, local, forwarded, failed and inline alike', async (t) => {
  const c = await cluster(t, config);
  const s = await client(t, c.respPorts.get('foo') as number);
  t.is(await s.request(cmd('SET', 'zebra:1', 'z') + cmd('SET', 'apple:1', 'a'), 2), '+OK\r\n+OK\r\n');
  const requests = [cmd('GET', 'zebra:1'), 'PING\r\n', cmd('GET', 'apple:1'), cmd('NOPE'), cmd('INCR', 'zebra:n'), cmd('GET', 'zebra:none'), cmd('ECHO', 'e'), cmd('INCR', 'zebra:n')];
  const replies = ['$1\r\nz\r\n', '+PONG\r\n', '$1\r\na\r\n', "-ERR unknown command 'NOPE', with args beginning with:\r\n", ':1\r\n', '$-1\r\n', '$1\r\ne\r\n', ':2\r\n'];
  let all = '';
  let expected = '';
  for (let i = 0; i < 50; i++) {
    all += requests.join('');
    expected += replies
      .join('')
      .replace(':1\r\n', `:${2 * i + 1}\r\n`)
      .replace(':2\r\n', `:${2 * i + 2}\r\n`);
  }
  // One write, cut at an odd place so requests straddle reads too.
  s.send(all.slice(0, 333));
  s.send(all.slice(333));
  t.is(await s.read(expected.split('\r\n').length - 1), expected);
});

test('QUIT answers +OK after the replies owed, then closes; nothing after it runs', async (t) => {
  const c = await cluster(t, config);
  const s = await client(t, c.respPorts.get('foo') as number);
  s.send(cmd('SET', 'zebra:q', '1') + cmd('QUIT') + cmd('SET', 'zebra:q', '2'));
  t.is(await s.rest(), '+OK\r\n+OK\r\n');
  t.is(await c.client().get('zebra', 'q'), '1');
});

test('a bulk length past maxLineLength is refused at once with a clear error, the connection ends, and others are served', async (t) => {
  const c = await cluster(t, { ...config, maxLineLength: 1024 });
  const port = c.respPorts.get('foo') as number;
  const s = await client(t, port);
  s.send(`${cmd('PING')}*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2000000000\r\n${'x'.repeat(4096)}`);
  t.is(await s.rest(), '+PONG\r\n-ERR Protocol error: invalid bulk length 2000000000: a request may have at most 1024 bytes (the maxLineLength setting)\r\n');
  const other = await client(t, port);
  t.is(await other.request(cmd('PING')), '+PONG\r\n');
  const garbage = await client(t, port);
  garbage.send('*1\r\n+PING\r\n');
  t.is(await garbage.rest(), "-ERR Protocol error: expected '$', got '+'\r\n");
});

test('a client that pipelines without reading stops being read; it gets every reply in order once it reads', async (t) => {
  const fake = session();
  fake.storage.registry.create('big').put('v', 'v'.repeat(16 * 1024));
  let paused = 0;
  const server = await KvServer.listen({ node: 'test', host: '127.0.0.1', port: 0, maxInFlight: 64, protocol: respProtocol(fake.node, 1024), onPause: () => paused++ });
  t.teardown(() => server.close());
  const s = await client(t, server.port);
  s.socket.pause();
  const n = 3000;
  let requests = '';
  for (let i = 0; i < n; i++) requests += i % 2 === 0 ? cmd('GET', 'big:v') : cmd('ECHO', String(i));
  s.send(requests);
  await t.notThrowsAsync(() => waitFor(() => paused > 0));
  s.socket.resume();
  let expected = '';
  for (let i = 0; i < n; i++) expected += i % 2 === 0 ? `$16384\r\n${'v'.repeat(16 * 1024)}\r\n` : `$${String(i).length}\r\n${i}\r\n`;
  t.is(await s.read(2 * n, 30_000), expected);
});

test('a node dying under a pipeline: what waited on it gets -NODEDOWN in order, the rest is served, and so is what comes after', async (t) => {
  const c = await cluster(t, config);
  const s = await client(t, c.respPorts.get('foo') as number);
  t.is(await s.request(cmd('SET', 'zebra:1', 'z') + cmd('SET', 'apple:1', 'a'), 2), '+OK\r\n+OK\r\n');
  await holdNode(t, c, 'bar');
  let requests = '';
  for (let i = 0; i < 20; i++) requests += cmd('GET', 'zebra:1') + cmd('GET', 'apple:1');
  s.send(requests);
  await c.kill('bar');
  t.is(await s.read(60), '-NODEDOWN node "bar" is down\r\n$1\r\na\r\n'.repeat(20));
  await waitFor(() => c.status().find((n) => n.node === 'bar')?.state === 'up');
  t.is(await s.request(cmd('GET', 'zebra:1') + cmd('SET', 'zebra:1', 'again') + cmd('GET', 'zebra:1'), 4), '$-1\r\n+OK\r\n$5\r\nagain\r\n', 'the restarted bar has lost its buckets, as the guide');
});

/** Resolves once `done()` holds (polled every 5 ms), or rejects after 10 s. */
async function waitFor(done: () => boolean): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (done()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('timed out');
}
