/**
 * The behaviour suite every way of hosting nodes must pass: the same tests run against
 * nodes in the test's own thread and against a real worker-thread cluster.
 */
import test from 'ava';
import type { ExecutionContext } from 'ava';
import type { KvConfig } from '../../src/core/config.js';
import type { KvError } from '../../src/protocol/errors.js';
import type { ClusterUnderTest } from './inline.js';
import { fixture, guideTable } from '../helpers.js';

const hello = { Hello: fixture('hello.js') };
const guide: KvConfig = { routingTable: guideTable, nodes: ['foo', 'bar'], modules: hello };
const chain: KvConfig = {
  nodes: {
    foo: { routingTable: [{ range: 'a-z', node: 'bar' }] },
    bar: { routingTable: [{ range: 'a-z', node: 'baz' }] },
    baz: { routingTable: [{ range: 'a-z', node: 'baz' }] },
  },
  modules: hello,
};

/** Registers the suite, titled `label › …`, against clusters made by `start`. */
export function behaviourSuite(label: string, start: (config: KvConfig) => Promise<ClusterUnderTest>): void {
  const withCluster = (title: string, config: KvConfig, body: (c: ClusterUnderTest, t: ExecutionContext) => Promise<void>): void => {
    test(`${label} › ${title}`, async (t) => {
      const c = await start(config);
      t.teardown(() => c.close());
      await body(c, t);
    });
  };

  withCluster('buckets live on their owner; every op works through either entry node', guide, async (c, t) => {
    const [viaFoo, viaBar] = [c.client('foo'), c.client('bar')];
    await viaBar.create('apple');
    await viaFoo.create('zebra');
    await viaFoo.put('apple', 'k', '1');
    await viaFoo.put('zebra', 'k', '26');
    t.is(await viaBar.get('apple', 'k'), '1');
    t.is(await viaBar.get('zebra', 'k'), '26');
    t.is(await viaFoo.route('apple', 'KV.Registry', 'lookup', ['apple']), 'foo');
    t.is(await viaFoo.route('zebra', 'KV.Registry', 'lookup', ['zebra']), 'bar');
    t.is(await viaBar.delete('zebra', 'k'), '26');
    t.is(await viaFoo.get('zebra', 'k'), undefined);
    const missing = (await t.throwsAsync(viaFoo.put('nobucket', 'k', 'v'))) as KvError;
    t.is(missing.code, 'KV_ERR_NO_BUCKET');
    t.is(missing.message, 'no bucket "nobucket" on node "bar" (create it first)');
    t.is(await viaFoo.get('apple', 'k'), '1', 'the next request is still served');
  });

  withCluster('user modules run where the router sends them', guide, async (c, t) => {
    t.is(await c.client().route('hello', 'Hello', 'world'), 'hello from foo');
    t.is(await c.client().route('world', 'Hello', 'world'), 'hello from bar');
  });

  withCluster('no route: the error names the bucket, byte, node and table', guide, async (c, t) => {
    const error = (await t.throwsAsync(c.client('bar').create('Zebra'))) as KvError;
    t.is(error.code, 'KV_ERR_NO_ROUTE');
    t.is(error.message, 'no route for bucket "Zebra" (first byte 0x5a) on node "bar": its table is [a-m → foo, n-z → bar]');
    await c.client('bar').create('zebra');
  });

  withCluster('requests are forwarded hop by hop with each node’s own table', chain, async (c, t) => {
    const kv = c.client('foo');
    await kv.create('apple');
    await kv.put('apple', 'k', 'v');
    t.is(await kv.route('apple', 'Kernel', 'node'), 'baz');
    t.is(await kv.get('apple', 'k'), 'v');
  });

  withCluster('past the hop limit: KV_ERR_TOO_MANY_HOPS naming the path', { ...chain, hopLimit: 1 }, async (c, t) => {
    const error = (await t.throwsAsync(c.client('foo').create('apple'))) as KvError;
    t.is(error.code, 'KV_ERR_TOO_MANY_HOPS');
    t.is(error.message, 'too many hops for bucket "apple": forwarded 1 time (the hop limit) along foo → bar → baz');
    await c.client('bar').create('apple');
  });

  withCluster('batches split by owner come back in order, failures as values', guide, async (c, t) => {
    const kv = c.client('foo');
    await kv.create('apple');
    await kv.create('zebra');
    const results = await kv.batch([
      { op: 'put', bucket: 'apple', key: 'a', value: '1' },
      { op: 'put', bucket: 'zebra', key: 'z', value: '26' },
      { op: 'get', bucket: 'zebra', key: 'z' },
      { op: 'get', bucket: 'apple', key: 'a' },
      { op: 'get', bucket: 'nobucket', key: 'x' },
    ]);
    t.deepEqual(results.slice(0, 4), [undefined, undefined, '26', '1']);
    t.is((results[4] as KvError).code, 'KV_ERR_NO_BUCKET');
  });

  withCluster('strings of any script round-trip as names, keys and values', { routingTable: [{ range: [0, 255], node: 'solo' }], nodes: ['solo'] }, async (c, t) => {
    const kv = c.client();
    for (const name of ['été', '🐱', 'nul\u0000']) {
      await kv.create(name);
      await kv.put(name, name, `${name} ☃`);
      t.is(await kv.get(name, name), `${name} ☃`);
    }
  });
}
