/** The protocol byte for byte (protocol.md; guide-spec 8.3) over real sockets against a worker-thread cluster. */
import test from 'ava';
import { startCluster } from '../../src/index.js';
import type { Cluster } from '../../src/index.js';
import { client } from './client.js';

// The reference's single node: a..z → self.
const config = { routingTable: [{ range: 'a-z', node: 'foo' }], nodes: { foo: { port: 0 } } };
let cluster: Cluster;
let port: number;

test.before(async () => {
  cluster = await startCluster({ config });
  port = cluster.ports.get('foo') as number;
});
// eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- undefined when test.before failed
test.after.always(() => cluster?.close());

test('the cluster reports the port it got for port 0', (t) => {
  t.deepEqual([...cluster.ports.keys()], ['foo']);
  t.true(port > 0 && port < 65536);
});

test('the guide\'s "server interaction" test', async (t) => {
  const c = await startCluster({ config });
  t.teardown(() => c.close());
  const s = await client(t, c.ports.get('foo') as number);
  t.is(await s.request('UNKNOWN shopping\r\n'), 'UNKNOWN COMMAND\r\n');
  t.is(await s.request('GET shopping eggs\r\n'), 'NOT FOUND\r\n');
  t.is(await s.request('CREATE shopping\r\n'), 'OK\r\n');
  t.is(await s.request('PUT shopping eggs 3\r\n'), 'OK\r\n');
  t.is(await s.request('GET shopping eggs\r\n'), '3\r\n');
  t.is(await s.read(1), 'OK\r\n');
  t.is(await s.request('DELETE shopping eggs\r\n'), 'OK\r\n');
  t.is(await s.request('GET shopping eggs\r\n'), '\r\n');
  t.is(await s.read(1), 'OK\r\n');
});

test('every row of the command table', async (t) => {
  const s = await client(t, port);
  t.is(await s.request('CREATE cmd\r\n'), 'OK\r\n');
  t.is(await s.request('PUT cmd k v\r\n'), 'OK\r\n');
  t.is(await s.request('CREATE cmd\r\n'), 'OK\r\n', 'idempotent');
  t.is(await s.request('GET cmd k\r\n', 2), 'v\r\nOK\r\n', 'existing data kept');
  t.is(await s.request('GET cmd nokey\r\n', 2), '\r\nOK\r\n');
  t.is(await s.request('PUT cmdnone k v\r\n'), 'NOT FOUND\r\n', 'PUT never creates a bucket');
  t.is(await s.request('GET cmdnone k\r\n'), 'NOT FOUND\r\n');
  t.is(await s.request('DELETE cmd k\r\n'), 'OK\r\n');
  t.is(await s.request('DELETE cmd k\r\n'), 'OK\r\n', 'whether or not k existed');
  t.is(await s.request('GET cmd k\r\n', 2), '\r\nOK\r\n');
  t.is(await s.request('DELETE cmdnone k\r\n'), 'NOT FOUND\r\n');
  for (const line of ['\r\n', '\n', '   \t  \r\n', '\r\r\n', 'HELLO\r\n', 'create cmd\r\n', 'Get cmd k\r\n', 'GET cmd\r\n', 'PUT cmd k\r\n', 'PUT cmd k v extra\r\n', 'CREATE\r\n', 'CREATE a b\r\n', 'QUIT\r\n']) {
    t.is(await s.request(line), 'UNKNOWN COMMAND\r\n', JSON.stringify(line));
  }
  t.is(await s.request('GET cmd k\r\n', 2), '\r\nOK\r\n', 'still served');
});

test('every row of the reference table (guide-spec 8.3), on one connection', async (t) => {
  const s = await client(t, port);
  t.is(s.pending, '', 'no greeting');
  t.is(await s.request('CREATE shopping\r\n'), 'OK\r\n');
  t.is(await s.request('CREATE shopping\r\n'), 'OK\r\n');
  t.is(await s.request('PUT shopping milk 1\r\n'), 'OK\r\n');
  t.is(await s.request('GET shopping milk\r\n', 2), '1\r\nOK\r\n');
  t.is(await s.request('GET shopping nokey\r\n', 2), '\r\nOK\r\n');
  t.is(await s.request('DELETE shopping milk\r\n'), 'OK\r\n');
  t.is(await s.request('GET shopping milk\r\n', 2), '\r\nOK\r\n');
  t.is(await s.request('DELETE shopping nokey\r\n'), 'OK\r\n');
  t.is(await s.request('GET nobucket k\r\nPUT nobucket k v\r\nDELETE nobucket k\r\n', 3), 'NOT FOUND\r\nNOT FOUND\r\nNOT FOUND\r\n');
  t.is(await s.request('HELLO\r\ncreate shopping\r\nGET shopping\r\nPUT shopping a b c\r\nCREATE\r\n', 5), 'UNKNOWN COMMAND\r\n'.repeat(5));
  t.is(await s.request('\r\n\n   \t  \r\n\r\r\n', 4), 'UNKNOWN COMMAND\r\n'.repeat(4));
  t.is(await s.request('  PUT   shopping\tx  2 \r\n'), 'OK\r\n');
  t.is(await s.request('GET shopping x\n', 2), '2\r\nOK\r\n');
  t.is(await s.request('CREATE lf\nPUT lf k v\nGET lf k\n', 4), 'OK\r\nOK\r\nv\r\nOK\r\n');
  t.is(await s.request('CREATE r1\rPUT r1 k v\r\n'), 'UNKNOWN COMMAND\r\n');
  t.is(await s.request('GET r1 k\r\n'), 'NOT FOUND\r\n', 'the CR-joined line ran nothing');
  s.send('CREATE r2\r');
  for (const piece of ['CREA', 'TE sp', 'lit\r', '\n']) s.send(piece);
  t.is(await s.read(1), 'UNKNOWN COMMAND\r\n', '"CREATE r2\\rCREATE split\\r" is one line of four tokens');
  for (const piece of ['CREA', 'TE sp', 'lit\r', '\n']) s.send(piece);
  t.is(await s.read(1), 'OK\r\n');
  t.is(await s.request('GET split k\r\n', 2), '\r\nOK\r\n');
  const nine = 'CREATE p1\r\nPUT p1 a 1\r\nPUT p1 b 2\r\nGET p1 a\r\nGET p1 b\r\nDELETE p1 a\r\nGET p1 a\r\nBOGUS\r\nGET nob k\r\n';
  t.is(await s.request(nine, 12), 'OK\r\nOK\r\nOK\r\n1\r\nOK\r\n2\r\nOK\r\nOK\r\n\r\nOK\r\nUNKNOWN COMMAND\r\nNOT FOUND\r\n');
  t.is(s.pending, '');
});

test('whitespace: NBSP is part of a key, EM SPACE splits, NEL splits, U+2007 does not', async (t) => {
  const s = await client(t, port);
  const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');
  t.is(await s.request('CREATE u1\r\n'), 'OK\r\n');
  s.send(utf8('PUT u1 k\u00a0v x\r\n'));
  t.is(await s.read(1), 'OK\r\n');
  s.send(utf8('GET u1 k\u00a0v\r\n'));
  t.is(await s.read(2), 'x\r\nOK\r\n');
  t.is(await s.request('GET u1 k\r\n', 2), '\r\nOK\r\n', 'the key is "k\\u00a0v", not "k"');
  s.send(utf8('PUT u1 k a\u2003b\r\n'));
  t.is(await s.read(1), 'UNKNOWN COMMAND\r\n');
  s.send(utf8('PUT\u0085u1\u3000k2\u2028y\u205f\r\n'));
  t.is(await s.read(1), 'OK\r\n');
  t.is(await s.request('GET u1 k2\r\n', 2), 'y\r\nOK\r\n');
  s.send(utf8('PUT u1 k3 a\u2007b\r\nGET u1 k3\r\n'));
  t.is(await s.read(3), `OK\r\n${Buffer.from('a\u2007b').toString('latin1')}\r\nOK\r\n`);
});

test('opaque bytes round-trip: invalid UTF-8 and NUL in bucket, key and value', async (t) => {
  const s = await client(t, port);
  t.is(await s.request('CREATE iu\r\nPUT iu k \xff\xfe\x80\r\nGET iu k\r\n', 4), 'OK\r\nOK\r\n\xff\xfe\x80\r\nOK\r\n');
  t.is(await s.request('CREATE n\x00ul\r\nPUT n\x00ul k\x00 v\x00\xc0\r\nGET n\x00ul k\x00\r\n', 4), 'OK\r\nOK\r\nv\x00\xc0\r\nOK\r\n');
  t.is(await s.request('GET n k\x00\r\n'), 'NOT FOUND\r\n', '"n" is not "n\\x00ul"');
  const all = Buffer.alloc(256 - 33);
  for (let i = 0; i < all.length; i++) all[i] = i + 33 === 0x85 ? 0x41 : i + 33;
  const value = all.toString('latin1');
  t.is(await s.request(`PUT iu all ${value}\r\nGET iu all\r\n`, 3), `OK\r\n${value}\r\nOK\r\n`);
});

test('keys and values are case-sensitive; values are strings', async (t) => {
  const s = await client(t, port);
  t.is(await s.request('CREATE cs\r\nPUT cs K 007\r\nGET cs k\r\nGET cs K\r\n', 6), 'OK\r\nOK\r\n\r\nOK\r\n007\r\nOK\r\n');
});

test('replies come back in request order when requests complete out of order', async (t) => {
  // Two nodes: foo serves, bar owns n-z, so "zz" requests take a hop and "aa" ones do not.
  const c = await startCluster({
    config: {
      routingTable: [
        { range: 'a-m', node: 'foo' },
        { range: 'n-z', node: 'bar' },
      ],
      nodes: { foo: { port: 0 }, bar: {} },
    },
  });
  t.teardown(() => c.close());
  const s = await client(t, c.ports.get('foo') as number);
  t.is(await s.request('CREATE aa\r\nCREATE zz\r\nPUT aa k a\r\nPUT zz k z\r\n', 4), 'OK\r\n'.repeat(4));
  let lines = '';
  let expected = '';
  for (let i = 0; i < 500; i++) {
    lines += i % 2 === 0 ? `GET zz k\r\nBAD\r\n` : `GET aa k\r\nGET no k\r\n`;
    expected += i % 2 === 0 ? 'z\r\nOK\r\nUNKNOWN COMMAND\r\n' : 'a\r\nOK\r\nNOT FOUND\r\n';
  }
  t.is(await s.request(lines, 1500), expected);
});
