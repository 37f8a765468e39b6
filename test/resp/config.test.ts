/** The `resp` settings of a node: defaults, every bad value with its path and message, shared ports, a busy port, and maxConnections. */
import test from 'ava';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { validateConfig } from '../../src/core/config.js';
import { KvError } from '../../src/protocol/errors.js';
import { startCluster } from '../../src/index.js';
import { cluster, rejectsWith } from '../helpers.js';
import { client } from '../server/client.js';

function issues(config: unknown): string[] {
  try {
    validateConfig(config);
    return [];
  } catch (e) {
    if (!(e instanceof KvError)) throw e;
    return e.issues.map((i) => `${i.path}: ${i.message}`);
  }
}

test('defaults: port 0, the node host, proxy mode, the bucket "default"; absent, no RESP server', (t) => {
  const { settings } = validateConfig({ nodes: { a: { resp: {} }, b: { host: '0.0.0.0', resp: { port: 6390, host: '::1', cluster: true, defaultBucket: 'café' } }, c: { host: '0.0.0.0', resp: { port: 6391 } }, d: {} } });
  t.deepEqual(
    settings.nodes.map((n) => n.resp),
    [{ port: 0, host: '127.0.0.1', cluster: false, defaultBucket: 'default' }, { port: 6390, host: '::1', cluster: true, defaultBucket: 'caf\xc3\xa9' }, { port: 6391, host: '0.0.0.0', cluster: false, defaultBucket: 'default' }, undefined],
  );
});

test('every bad resp value is reported with its path', (t) => {
  t.deepEqual(issues({ nodes: { a: { resp: 5 } } }), ['nodes.a.resp: expected an object but received number 5']);
  t.deepEqual(issues({ nodes: { a: { resp: { port: 70000, host: '', cluster: 'yes', defaultBucket: '', tls: true } } } }), [
    'nodes.a.resp.tls: unknown key (allowed: port, host, cluster, defaultBucket)',
    'nodes.a.resp.port: expected an integer from 0 to 65535 but received number 70000',
    'nodes.a.resp.host: expected a host name or address but received ""',
    'nodes.a.resp.cluster: expected true or false but received "yes"',
    'nodes.a.resp.defaultBucket: expected a bucket name but received ""',
  ]);
  t.deepEqual(issues({ nodes: { a: { port: 6390, resp: { port: 6390 } }, b: { resp: { port: 6390 } } } }), ['nodes.a.resp.port: port 6390 is also used by node "a"', 'nodes.b.resp.port: port 6390 is also used by node "a" (RESP)']);
  t.deepEqual(issues({ nodes: { a: { resp: { port: 6390 } }, b: { port: 6390 } } }), ['nodes.b.port: port 6390 is also used by node "a" (RESP)']);
  t.deepEqual(issues({ nodes: ['a'], modules: { 'KV.Redis': './x.js' } }), ['modules["KV.Redis"]: "KV.Redis" is a built-in module']);
});

test('a busy RESP port fails startCluster with KV_ERR_LISTEN naming nodes.X.resp.port', async (t) => {
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  t.teardown(() => blocker.close());
  const busy = (blocker.address() as AddressInfo).port;
  await rejectsWith(
    t,
    startCluster({ config: { routingTable: [{ range: 'a-z', node: 'foo' }], nodes: { foo: { port: 0, resp: { port: busy } } } } }),
    'KV_ERR_LISTEN',
    `node "foo" cannot listen on 127.0.0.1:${busy}: the port is already in use (EADDRINUSE); change nodes.foo.resp.port or .host in the configuration (port 0 takes a free port)`,
  );
});

test('maxConnections counts RESP clients too: one more gets -ERR and is closed; the others are served', async (t) => {
  const c = await cluster(t, { routingTable: [{ range: 'a-z', node: 'foo' }], nodes: { foo: { maxConnections: 1, resp: { port: 0 } } } });
  const port = c.respPorts.get('foo') as number;
  const one = await client(t, port);
  t.is(await one.request('PING\r\n'), '+PONG\r\n');
  const two = await client(t, port);
  t.is(await two.rest(), '-ERR too many connections: node "foo" serves at most 1 clients at once (maxConnections); try again later\r\n');
  t.is(await one.request('PING\r\n'), '+PONG\r\n');
});
