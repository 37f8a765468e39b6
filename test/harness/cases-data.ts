/** Buckets, keys and batches: where data lives and how single ops and batches answer. */
import { KvError } from '../../src/index.js';
import type { BatchResult } from '../../src/index.js';
import { rejectsWith } from '../helpers.js';
import type { Suite } from './suite.js';
import { guide } from './configs.js';

/** A result as comparable data: errors as `code: message`. */
const plain = (rs: BatchResult[]) => rs.map((r) => (r instanceof KvError ? `${r.code}: ${r.message}` : r));

/** Registers the data cases. */
export function dataCases(s: Suite): void {
  s.test('buckets live on their owner; every op works through either entry node', guide, async (c, t) => {
    const [viaFoo, viaBar] = [c.client({ via: 'foo' }), c.client({ via: 'bar' })];
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
    await rejectsWith(t, viaFoo.put('nobucket', 'k', 'v'), 'KV_ERR_NO_BUCKET', 'no bucket "nobucket" on node "bar" (create it first)');
    t.is(await viaFoo.get('apple', 'k'), '1', 'the next request is still served');
  });

  s.test('create is idempotent and keeps data; put never creates a bucket', guide, async (c, t) => {
    const kv = c.client();
    await rejectsWith(t, kv.put('apple', 'k', 'v'), 'KV_ERR_NO_BUCKET', 'no bucket "apple" on node "foo" (create it first)');
    await rejectsWith(t, kv.get('zebra', 'k'), 'KV_ERR_NO_BUCKET', 'no bucket "zebra" on node "bar" (create it first)');
    await rejectsWith(t, kv.delete('zebra', 'k'), 'KV_ERR_NO_BUCKET', 'no bucket "zebra" on node "bar" (create it first)');
    await kv.create('apple');
    await kv.put('apple', 'k', 'v');
    await kv.create('apple');
    t.is(await kv.get('apple', 'k'), 'v');
    t.is(await kv.get('apple', 'missing'), undefined);
    await kv.put('apple', 'k', 'v2');
    t.is(await kv.delete('apple', 'k'), 'v2');
    t.is(await kv.get('apple', 'k'), undefined);
  });

  s.test('strings of any script round-trip as names, keys and values', { routingTable: [{ range: [0, 255], node: 'solo' }], nodes: ['solo'] }, async (c, t) => {
    const kv = c.client();
    for (const name of ['été', '🐱', 'nul\u0000']) {
      await kv.create(name);
      await kv.put(name, name, `${name} ☃`);
      t.is(await kv.get(name, name), `${name} ☃`);
    }
  });

  s.test('a batch runs in order on one owner and returns every result', guide, async (c, t) => {
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

  s.test('ops for different owners are forwarded per owner and results come back in order', guide, async (c, t) => {
    const kv = c.client({ via: 'foo' });
    await kv.batch([
      { op: 'create', bucket: 'apple' },
      { op: 'create', bucket: 'nut' },
    ]);
    const ops = Array.from({ length: 64 }, (_, i) => ({ op: 'put' as const, bucket: i % 3 === 0 ? 'nut' : 'apple', key: `k${i}`, value: `v${i}` }));
    t.deepEqual(
      await kv.batch(ops),
      ops.map(() => undefined),
    );
    const gets = ops.map((o) => ({ op: 'get' as const, bucket: o.bucket, key: o.key }));
    t.deepEqual(
      await kv.batch(gets),
      ops.map((o) => o.value),
    );
    // The owner really holds them: bar has the "nut" keys, reached by a forward from foo.
    t.is(await c.client({ via: 'bar' }).get('nut', 'k3'), 'v3');
    t.is((await c.stats('bar')).keys, 22);
    t.is((await c.stats('foo')).keys, 42);
  });

  const split = {
    nodes: {
      foo: {
        routingTable: [
          { range: 'a-m', node: 'foo' },
          { range: 'n-z', node: 'bar' },
        ],
      },
      bar: { routingTable: [{ range: 'a-z', node: 'bar' }] },
    },
  };
  s.test('per-op errors are values, equal to the errors of single ops, and the next request is served', split, async (c, t) => {
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
    const single = await t.throwsAsync<KvError>(kv.get('Zebra', 'k'));
    t.is(`${(rs[2] as KvError).code}: ${(rs[2] as KvError).message}`, `${single.code}: ${single.message}`);
    t.is(await kv.get('apple', 'k'), 'v');
  });

  s.test('malformed batches are rejected before anything is sent, and the client keeps working', guide, async (c, t) => {
    const kv = c.client();
    await kv.create('apple');
    const bad = await t.throwsAsync(
      kv.batch([
        { op: 'get', bucket: 'apple', key: 'k' },
        { op: 'get', bucket: 'apple', key: 7 as unknown as string },
      ]),
    );
    t.is(bad.message, 'batch: ops[1].key must be a string, received number');
    const op = await t.throwsAsync(kv.batch([{ op: 'drop', bucket: 'apple' } as never]));
    t.is(op.message, 'batch: ops[0].op must be one of create, get, put, delete, received "drop"');
    const inherited = await t.throwsAsync(kv.batch([{ op: 'constructor', bucket: 'apple', key: 'k' } as never]), { instanceOf: TypeError });
    t.is(inherited.message, 'batch: ops[0].op must be one of create, get, put, delete, received "constructor"');
    const notObject = await t.throwsAsync(kv.batch([null as never]), { instanceOf: TypeError });
    t.is(notObject.message, 'batch: ops[0].op must be one of create, get, put, delete, received undefined');
    await rejectsWith(t, kv.batch(new Array(70_000).fill({ op: 'get', bucket: 'apple', key: 'k' })), 'KV_ERR_BAD_ARGUMENT', 'batch: at most 65535 ops per batch, received 70000; split it');
    t.deepEqual(
      await kv.batch([
        { op: 'put', bucket: 'apple', key: 'k', value: 'ok' },
        { op: 'get', bucket: 'apple', key: 'k' },
      ]),
      [undefined, 'ok'],
    );
  });

  s.test('a stored value holding a frame separator (put through KV.Bucket.put) comes back whole, alone, by get and by batch', guide, async (c, t) => {
    // Packed, its \u0100 split the reply frame: get answered "x" and a batch gained a result.
    const kv = c.client();
    await kv.create('zed');
    await kv.put('zed', 'other', 'fine');
    t.is(await c.call('bar', 'KV.Bucket', 'put', ['zed', 'k', 'x\u0100u']), 'ok');
    t.is(await c.call('bar', 'KV.Bucket', 'get', ['zed', 'k']), 'x\u0100u', 'stored exactly');
    // KV.Bucket.put stores the UTF-8 bytes of its value, as the client does: the same string comes back every way.
    t.is(await kv.get('zed', 'k'), 'x\u0100u');
    t.deepEqual(
      await kv.batch([
        { op: 'get', bucket: 'zed', key: 'k' },
        { op: 'get', bucket: 'zed', key: 'other' },
      ]),
      ['x\u0100u', 'fine'],
    );
    t.is(await kv.get('zed', 'other'), 'fine', 'the next request is served');
  });
}
