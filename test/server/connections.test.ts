/** Framing and connection handling over real sockets against a worker-thread cluster. */
import test from 'ava';
import { connect } from 'node:net';
import { startCluster } from '../../src/index.js';
import type { Cluster } from '../../src/index.js';
import { TestClient, client } from './client.js';

let cluster: Cluster;
let port: number;

test.before(async () => {
  cluster = await startCluster({
    config: {
      routingTable: [
        { range: 'a-m', node: 'foo' },
        { range: 'n-z', node: 'bar' },
      ],
      nodes: { foo: { port: 0 }, bar: {} },
    },
  });
  port = cluster.ports.get('foo') as number;
});
// eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- undefined when test.before failed
test.after.always(() => cluster?.close());

test('thousands of pipelined commands in one write are answered in order', async (t) => {
  const s = await client(t, port);
  let lines = 'CREATE pipe\r\nCREATE zpipe\r\n';
  let expected = 'OK\r\nOK\r\n';
  for (let i = 0; i < 5000; i++) {
    const b = i % 3 === 0 ? 'zpipe' : 'pipe';
    lines += `PUT ${b} k${i} ${i}\r\nGET ${b} k${i}\r\n`;
    expected += `OK\r\n${i}\r\nOK\r\n`;
  }
  t.is(await s.request(lines, 2 + 5000 * 3), expected);
});

test('a pipelined window whose forwarded first command is answered last goes on with the lines already read', async (t) => {
  // GET zfw is forwarded to bar; the 299 commands after it are answered by foo itself, so they
  // complete first and the forwarded reply alone empties the connection's window of 256. The
  // rest of the lines came in the same write: the server must read them without a new read event.
  const s = await client(t, port);
  t.is(await s.request('CREATE fw\r\nCREATE zfw\r\nPUT zfw k z\r\n', 3), 'OK\r\nOK\r\nOK\r\n');
  let lines = 'GET zfw k\r\n';
  let expected = 'z\r\nOK\r\n';
  for (let i = 0; i < 299; i++) {
    lines += `PUT fw k${i} ${i}\r\n`;
    expected += 'OK\r\n';
  }
  t.is(await s.request(lines, 2 + 299), expected);
  t.is(await s.request('GET fw k298\r\n', 2), '298\r\nOK\r\n', 'the connection still serves');
});

test('a command split into one-byte writes runs once its newline arrives', async (t) => {
  const s = await client(t, port);
  for (const byte of 'CREATE onebyte\r\nPUT onebyte k \xff\x00\r\nGET onebyte k\r\n') s.send(byte);
  t.is(await s.read(4), 'OK\r\nOK\r\n\xff\x00\r\nOK\r\n');
});

test('half-close after complete lines: every reply, then the server closes; the partial line is not run', async (t) => {
  const s = await client(t, port);
  t.is(await s.request('CREATE dc\r\nPUT dc k2 v2\r\n', 2), 'OK\r\nOK\r\n');
  s.send('GET dc k2\r\nPUT dc k3 v3\r\nGET dc k3\r\nZPUT dc k4 v4\r\nPUT dc k5 v5');
  s.end();
  t.is(await s.rest(), 'v2\r\nOK\r\nOK\r\nv3\r\nOK\r\nUNKNOWN COMMAND\r\n');
  const check = await client(t, port);
  t.is(await check.request('GET dc k5\r\n', 2), '\r\nOK\r\n', 'the partial PUT never ran');
});

test('half-close with only a partial line: no reply, closed, not run', async (t) => {
  const s = await client(t, port);
  t.is(await s.request('CREATE dc2\r\n'), 'OK\r\n');
  s.send('PUT dc2 k v');
  s.end();
  t.is(await s.rest(), '');
  const check = await client(t, port);
  t.is(await check.request('GET dc2 k\r\n', 2), '\r\nOK\r\n');
});

test('a reset mid-line never runs the partial line; other clients are served', async (t) => {
  const s = await client(t, port);
  // The GET's reply proves the server has read the write holding the partial PUT.
  t.is(await s.request('CREATE rst\r\nGET rst k\r\nPUT rst k v', 3), 'OK\r\n\r\nOK\r\n');
  s.reset();
  const check = await client(t, port);
  t.is(await check.request('GET rst k\r\n', 2), '\r\nOK\r\n');
});

test('200 concurrent clients, each with its own bucket', async (t) => {
  const clients = await Promise.all(Array.from({ length: 200 }, () => client(t, port)));
  const replies = await Promise.all(
    clients.map((c, i) => {
      const b = `${i % 2 === 0 ? 'a' : 'z'}conc${i}`;
      return c.request(`CREATE ${b}\r\nPUT ${b} k ${i}\r\nGET ${b} k\r\nGET ${b} none\r\n`, 6);
    }),
  );
  replies.forEach((r, i) => t.is(r, `OK\r\nOK\r\n${i}\r\nOK\r\n\r\nOK\r\n`));
});

test('bursts of connect-and-close clients never stop the listener', async (t) => {
  for (let round = 0; round < 3; round++) {
    await Promise.all(
      Array.from(
        { length: 50 },
        (_, i) =>
          new Promise<void>((resolve) => {
            const socket = connect({ port, host: '127.0.0.1' });
            socket.on('error', () => resolve());
            socket.on('close', () => resolve());
            socket.resume();
            socket.on('connect', () => {
              if (i % 3 === 0) socket.resetAndDestroy();
              else if (i % 3 === 1) socket.end('GET Zzz k\r\n');
              else socket.destroy();
            });
          }),
      ),
    );
  }
  const s = await client(t, port);
  t.is(await s.request('CREATE burst\r\nGET burst k\r\n', 3), 'OK\r\n\r\nOK\r\n');
});

test('a client that errs does not affect another', async (t) => {
  const bad = await client(t, port);
  const good = await client(t, port);
  bad.send(`GET ${'x'.repeat(2 * 1024 * 1024)}`);
  t.is(await good.request('CREATE good\r\nGET good k\r\n', 3), 'OK\r\n\r\nOK\r\n');
  bad.send('\r\nGET Zz k\r\n');
  t.regex(await bad.read(2), /^ERROR line too long.*\r\nERROR no route for bucket "Zz"/s);
  t.is(await good.request('GET good k\r\n', 2), '\r\nOK\r\n');
});

test('closing the cluster ends every connection and the listener', async (t) => {
  const c = await startCluster({ config: { routingTable: [{ range: 'a-z', node: 'solo' }], nodes: { solo: { port: 0 } } } });
  const p = c.ports.get('solo') as number;
  const clients = await Promise.all([TestClient.connect(p), TestClient.connect(p)]);
  t.teardown(() => clients.forEach((s) => s.destroy()));
  t.is(await clients[0].request('CREATE x\r\n'), 'OK\r\n');
  clients[1].send('PUT x k');
  await c.close();
  await Promise.all(clients.map((s) => s.rest()));
  t.true(clients.every((s) => s.closed));
  await t.throwsAsync(TestClient.connect(p), { code: 'ECONNREFUSED' });
});
