/**
 * A RESP node restarted on port 0 listens on a new port: `cluster.respPorts` says which, and in
 * cluster mode the other nodes' CLUSTER SLOTS and -MOVED name the new port (what a node knew
 * of the others' ports is dropped when a link changes).
 */
import test from 'ava';
import { cluster } from '../helpers.js';
import { client } from '../server/client.js';

test('after a restart the RESP node serves on its new port, and the others send clients there', async (t) => {
  const c = await cluster(t, { routingTable: [{ range: [0, 255], node: 'foo' }], nodes: { foo: { resp: { port: 0, cluster: true } }, bar: { storage: false, resp: { port: 0, cluster: true } } } });
  const bar = await client(t, c.respPorts.get('bar') as number);
  const before = c.respPorts.get('foo') as number;
  t.is(await bar.request('SET user:1 x\r\n'), `-MOVED 10778 127.0.0.1:${before}\r\n`);
  const up = new Promise<void>((resolve) => c.once('nodeup', () => resolve()));
  await c.kill('foo');
  await up;
  const after = c.respPorts.get('foo') as number;
  t.not(after, before);
  const foo = await client(t, after);
  t.is(await foo.request('PING\r\n'), '+PONG\r\n');
  t.is(await bar.request('SET user:1 x\r\n'), `-MOVED 10778 127.0.0.1:${after}\r\n`);
  t.regex(await bar.request('CLUSTER NODES\r\n', 2), new RegExp(`127\\.0\\.0\\.1:${after}@${after + 10000} master - 0 0 1 connected 0-16383\\n`));
});
