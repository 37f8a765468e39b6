import test from 'ava';
import { KvError, connectClient } from '../../src/index.js';
import type { BatchResult } from '../../src/index.js';
import { cluster, guideTable, rejectsWith } from '../helpers.js';

const guide = { routingTable: guideTable, nodes: { foo: {}, bar: {} } };

/** A result as comparable data: errors as `code: message`. */
const plain = (rs: BatchResult[]) => rs.map((r) => (r instanceof KvError ? `${r.code}: ${r.message}` : r));

test('a batch runs in order on one owner and returns every result', async (t) => {
  const c = await cluster(t, guide);
  const kv = c.client();
  t.deepEqual(await kv.batch([{ op: 'create', bucket: 'apple' }]), [undefined]);
  const rs = await kv.batch([
    { op: 'put', bucket: 'apple', key: 'k1', value: 'v1' },
    { op: 'put', bucket: 'apple', key: 'ü', value: 'é ✓' },
    { op: 'get', bucket: 'apple', key: 'k1' },
    { op: 'get', bucket: 'apple', key: 'ü' },
    { op: 'get', bucket: 'apple', key: 'missing' },
    { op: 'delete', bucket: 'apple', key: 'k1' },
    { op: 'get', bucket: 'apple', key: 'k1' },
    { op: 'put', bucket: 'apple', key: 'empty', value: '' },
    { op: 'get', bucket: 'apple', key: 'empty' },
  ]);
  t.deepEqual(rs, [undefined, undefined, 'v1', 'é ✓', undefined, 'v1', undefined, undefined, '']);
  t.is(await kv.get('apple', 'ü'), 'é ✓');
  t.deepEqual(await kv.batch([]), []);
});

test('ops for different owners are forwarded per owner and results come back in order', async (t) => {
  const c = await cluster(t, guide);
  const kv = c.client({ via: 'foo' });
  await kv.batch([
    { op: 'create', bucket: 'apple' },
    { op: 'create', bucket: 'nut' },
  ]);
  const ops = Array.from({ length: 64 }, (_, i) => ({ op: 'put' as const, bucket: i % 3 === 0 ? 'nut' : 'apple', key: `k${i}`, value: `v${i}` }));
  t.deepEqual(await kv.batch(ops), ops.map(() => undefined));
  const gets = ops.map((o) => ({ op: 'get' as const, bucket: o.bucket, key: o.key }));
  t.deepEqual(await kv.batch(gets), ops.map((o) => o.value));
  // The owner really holds them: bar has the "nut" keys, reached by a forward from foo.
  t.is(await c.client({ via: 'bar' }).get('nut', 'k3'), 'v3');
  t.is((await c.stats('bar')).keys, 22);
  t.is((await c.stats('foo')).keys, 42);
});

test('per-op errors are values, equal to the errors of single ops, and the next request is served', async (t) => {
  const c = await cluster(t, { nodes: { foo: { routingTable: [{ range: 'a-m', node: 'foo' }, { range: 'n-z', node: 'bar' }] }, bar: { routingTable: [{ range: 'a-z', node: 'bar' }] } } });
  const kv = c.client({ via: 'foo' });
  await kv.create('apple');
  const rs = await kv.batch([
    { op: 'put', bucket: 'apple', key: 'k', value: 'v' },
    { op: 'get', bucket: 'nope', key: 'k' },
    { op: 'get', bucket: 'Zebra', key: 'k' },
    { op: 'get', bucket: '', key: 'k' },
    { op: 'get', bucket: 'apple', key: 'k' },
  ]);
  t.deepEqual(plain(rs), [
    undefined,
    'KV_ERR_NO_BUCKET: no bucket "nope" on node "bar" (create it first)',
    'KV_ERR_NO_ROUTE: no route for bucket "Zebra" (first byte 0x5a) on node "foo": its table is [a-m → foo, n-z → bar]',
    'KV_ERR_NO_ROUTE: no route for an empty bucket name on node "foo": routing needs a first byte',
    'v',
  ]);
  const single = await t.throwsAsync(kv.get('Zebra', 'k'));
  t.is(`${(rs[2] as KvError).code}: ${(rs[2] as KvError).message}`, `${(single as KvError).code}: ${single?.message}`);
  t.is(await kv.get('apple', 'k'), 'v');
});

test('malformed batches are rejected before anything is sent, and the client keeps working', async (t) => {
  const c = await cluster(t, guide);
  const kv = c.client();
  await kv.create('apple');
  const bad = await t.throwsAsync(kv.batch([{ op: 'get', bucket: 'apple', key: 'k' }, { op: 'get', bucket: 'apple', key: 7 as unknown as string }]));
  t.is(bad?.message, 'batch: ops[1].key must be a string, received number');
  const op = await t.throwsAsync(kv.batch([{ op: 'drop', bucket: 'apple' } as never]));
  t.is(op?.message, 'batch: ops[0].op must be one of create, get, put, delete, received "drop"');
  const inherited = await t.throwsAsync(kv.batch([{ op: 'constructor', bucket: 'apple', key: 'k' } as never]), { instanceOf: TypeError });
  t.is(inherited?.message, 'batch: ops[0].op must be one of create, get, put, delete, received "constructor"');
  const notObject = await t.throwsAsync(kv.batch([null as never]), { instanceOf: TypeError });
  t.is(notObject?.message, 'batch: ops[0].op must be one of create, get, put, delete, received undefined');
  await rejectsWith(t, kv.batch(new Array(70_000).fill({ op: 'get', bucket: 'apple', key: 'k' })), 'KV_ERR_BAD_ARGUMENT', 'batch: at most 65535 ops per batch, received 70000; split it');
  t.deepEqual(await kv.batch([{ op: 'put', bucket: 'apple', key: 'k', value: 'ok' }, { op: 'get', bucket: 'apple', key: 'k' }]), [undefined, 'ok']);
});

test('a client attached from ports (as a client thread would be) reaches every node', async (t) => {
  const c = await cluster(t, guide);
  const attachment = await c.attachClient();
  t.is(attachment.index, 3);
  t.is(attachment.ports.length, 2);
  const remote = connectClient(attachment, { via: 'bar' });
  t.teardown(() => remote.close());
  await remote.create('apple');
  await remote.put('apple', 'k', 'from a port');
  t.is(await c.client().get('apple', 'k'), 'from a port');
  t.deepEqual(await remote.enterAt('foo').batch([{ op: 'get', bucket: 'apple', key: 'k' }]), ['from a port']);
  t.is((await c.attachClient()).index, 4);
  remote.close();
  await rejectsWith(t, remote.get('apple', 'k'), 'KV_ERR_CLOSED', 'the client is closed');
  t.is(await c.client().get('apple', 'k'), 'from a port');
});

test('a stored value holding a frame separator (put through KV.Bucket.put) comes back whole, alone, by get and by batch', async (t) => {
  // Packed, its \u0100 split the reply frame: get answered "x" and a batch gained a result.
  const c = await cluster(t, guide);
  const kv = c.client();
  await kv.create('zed');
  await kv.put('zed', 'other', 'fine');
  t.is(await c.call('bar', 'KV.Bucket', 'put', ['zed', 'k', 'x\u0100u']), 'ok');
  t.is(await c.call('bar', 'KV.Bucket', 'get', ['zed', 'k']), 'x\u0100u', 'stored exactly');
  // KV.Bucket.put stores the UTF-8 bytes of its value, as the client does: the same string comes back every way.
  t.is(await kv.get('zed', 'k'), 'x\u0100u');
  t.deepEqual(await kv.batch([{ op: 'get', bucket: 'zed', key: 'k' }, { op: 'get', bucket: 'zed', key: 'other' }]), ['x\u0100u', 'fine']);
  t.is(await kv.get('zed', 'other'), 'fine', 'the next request is served');
});
