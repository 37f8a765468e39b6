/** Plans and traffic recording on a running cluster: what a change would move (nothing is touched), and what entered where. */
import type { Suite } from './suite.js';
import type { KvConfig } from '../../src/index.js';
import { formatPlan } from '../../src/plan/format.js';
import { keySlot } from '../../src/core/slots.js';
import { slots2 } from './configs.js';

export const slots2to3: KvConfig = {
  routingTable: {
    slots: [
      { slots: '0-8191', node: 'foo' },
      { slots: '8192-10922', node: 'bar' },
      { slots: '10923-16383', node: 'foo' },
    ],
  },
  nodes: ['foo', 'bar'],
};

/** Registers the plan and recording cases. */
export function planCases(s: Suite): void {
  s.testWith(['supervision'], 'cluster.plan lists every bucket that would move with its keys and bytes, and changes nothing', slots2, async (c, t) => {
    const kv = c.client();
    // "123456789" (slot 12739) and "foo" (12182) move from bar to foo; "hello" (866) and "baz" (4813) stay.
    t.deepEqual(
      ['123456789', 'foo', 'hello', 'baz'].map((b) => keySlot(b)),
      [12739, 12182, 866, 4813],
    );
    for (const bucket of ['123456789', 'foo', 'hello', 'baz']) await kv.create(bucket);
    await kv.put('123456789', 'k1', 'v1');
    await kv.put('123456789', 'key2', 'value2');
    await kv.put('foo', 'a', 'b');
    const plan = await c.plan(slots2to3);
    t.deepEqual(plan.moves, [
      { bucket: '123456789', keys: 2, bytes: 14, from: 'bar', to: 'foo' },
      { bucket: 'foo', keys: 1, bytes: 2, from: 'bar', to: 'foo' },
    ]);
    t.deepEqual(plan.units, [{ from: 'bar', to: 'foo', count: 5461, units: '10923-16383' }]);
    t.is(plan.buckets, 4);
    t.true(formatPlan(plan).includes('buckets that move (in the cluster): 2 of 4, 3 keys, 16 B'));
    t.is(c.tableVersion, 0, 'a plan changes nothing');
    t.deepEqual(c.routingTable('foo'), {
      slots: [
        { from: 0, to: 8191, node: 'foo' },
        { from: 8192, to: 16383, node: 'bar' },
      ],
    });
    t.is(await kv.get('123456789', 'k1'), 'v1');
    t.is(await c.call('bar', 'KV.Registry', 'lookup', ['123456789']), 'bar');
  });

  s.testWith(['supervision'], 'cluster.record logs every request where it entered, in time order; replayed in a plan it gives load and hops', slots2, async (c, t, h) => {
    const recording = await c.record();
    const viaFoo = c.client({ via: 'foo' });
    const viaBar = c.client({ via: 'bar' });
    await viaFoo.create('123456789');
    await viaFoo.put('123456789', 'key', 'value');
    await viaBar.get('123456789', 'key');
    await viaBar.batch([
      { op: 'create', bucket: 'hello' },
      { op: 'delete', bucket: 'hello', key: 'gone' },
    ]);
    const log = await recording.stop();
    t.is(log.clock, h.virtualTime ? 'virtual' : 'real');
    t.deepEqual(log.nodes, ['foo', 'bar']);
    t.deepEqual(
      log.records.map(([, entry, op, bucket, , kb, vb]) => [entry, op, bucket, kb, vb]),
      [
        [0, 'c', '123456789', 0, 0],
        [0, 'p', '123456789', 3, 5],
        [1, 'g', '123456789', 3, 0],
        [1, 'c', 'hello', 0, 0],
        [1, 'd', 'hello', 4, 0],
      ],
    );
    t.true(log.records.every((r, i) => i === 0 || r[0] >= (log.records[i - 1]?.[0] ?? 0)));
    await viaFoo.get('123456789', 'key');
    t.deepEqual((await recording.stop()).records.length, 5, 'stopped: nothing more is recorded, and stop() answers the same');
    const plan = await c.plan(slots2to3, { traffic: log });
    t.deepEqual(
      [...(plan.traffic?.before.load ?? [])],
      [
        ['foo', 2],
        ['bar', 3],
      ],
    );
    t.deepEqual(
      [...(plan.traffic?.after.load ?? [])],
      [
        ['foo', 5],
        ['bar', 0],
      ],
    );
    t.deepEqual([plan.traffic?.before.hops, plan.traffic?.after.hops], [4, 3]);
  });
}
