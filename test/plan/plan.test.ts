/** Plans on hand-made configs (src/plan/): the exact units and buckets that move, shares, new lint findings, replayed traffic. */
import test from 'ava';
import { validateConfig } from '../../src/core/config.js';
import type { KvConfig } from '../../src/core/config.js';
import { keySlot } from '../../src/core/slots.js';
import { claim, ringPartition } from '../../src/core/ring.js';
import { planChange } from '../../src/plan/plan.js';
import type { BucketSize, Side } from '../../src/plan/plan.js';
import { claimAgainst } from '../../src/plan/next.js';
import { formatPlan } from '../../src/plan/format.js';
import type { TrafficLog } from '../../src/protocol/data.js';
import { slots2, slots2to3Head, slots3 } from './expected.js';

const side = (config: unknown): Side => {
  const { settings } = validateConfig(config);
  return { nodes: settings.nodes.map((n) => n.name), tables: new Map(settings.nodes.map((n) => [n.name, n.table])), hopLimit: settings.hopLimit };
};
const held = (entries: Record<string, string[]>): Map<string, BucketSize[]> => new Map(Object.entries(entries).map(([n, list]) => [n, list.map((bucket, i) => ({ bucket, keys: i + 1, bytes: 10 * (i + 1) }))]));

test('slots, a third node joins: the slot runs that move and each bucket in them, exactly', (t) => {
  // "hello" is slot 866 (stays on foo), "123456789" 12739 (bar → baz), "foo" 12182 (bar → baz), a "kN" in 5461-8191 (foo → bar).
  const tagged = Array.from({ length: 100 }, (_, i) => `k${i}`).find((b) => keySlot(b) >= 5461 && keySlot(b) <= 8191) as string;
  const plan = planChange(side(slots2), side(slots3), held({ foo: ['hello', tagged, 'bar'], bar: ['123456789', 'foo'] }));
  t.deepEqual(plan.joining, ['baz']);
  t.deepEqual(plan.leaving, []);
  t.deepEqual(plan.units, [
    { from: 'foo', to: 'bar', count: 2731, units: '5461-8191' },
    { from: 'bar', to: 'baz', count: 5461, units: '10923-16383' },
  ]);
  t.is(keySlot('bar'), 5061);
  t.deepEqual(plan.moves, [
    { bucket: 'foo', keys: 2, bytes: 20, from: 'bar', to: 'baz' },
    { bucket: tagged, keys: 2, bytes: 20, from: 'foo', to: 'bar' },
    { bucket: '123456789', keys: 1, bytes: 10, from: 'bar', to: 'baz' },
  ]);
  t.is(plan.buckets, 5);
  t.deepEqual(
    plan.ownership.map((o) => [o.node, o.before, Number(o.after.toFixed(4))]),
    [
      ['foo', 0.5, 0.3333],
      ['bar', 0.5, 0.3334],
      ['baz', 0, 0.3333],
    ],
  );
  t.deepEqual(plan.lint, { errors: [], warnings: [] });
});

test('byte ranges: swapping the halves moves every bucket; a gap left behind is a new warning and a bucket with no owner', (t) => {
  const guide = {
    routingTable: [
      { range: 'a-m', node: 'foo' },
      { range: 'n-z', node: 'bar' },
    ],
    nodes: ['foo', 'bar'],
  };
  const gap = {
    routingTable: [
      { range: 'a-m', node: 'bar' },
      { range: 'n-y', node: 'foo' },
    ],
    nodes: ['foo', 'bar'],
  };
  const plan = planChange(side(guide), side(gap), held({ foo: ['apple'], bar: ['zebra', 'nut'] }));
  t.deepEqual(plan.units, [
    { from: 'foo', to: 'bar', count: 13, units: 'a-m' },
    { from: 'bar', to: 'foo', count: 12, units: 'n-y' },
    { from: 'bar', to: undefined, count: 1, units: 'z' },
  ]);
  t.deepEqual(
    plan.moves.map((m) => [m.bucket, m.from, m.to]),
    [
      ['nut', 'bar', 'foo'],
      ['apple', 'foo', 'bar'],
      ['zebra', 'bar', undefined],
    ],
  );
  t.deepEqual(plan.lint.warnings, ['bytes 0x00-`, z-0xff are covered by no table: buckets starting with them cannot be routed']);
});

test('a ring: a node joining takes ⌊R/N⌋ partitions from the others; one leaving gives away only its own', (t) => {
  const three = { routingTable: { ring: { size: 64, nodes: ['foo', 'bar', 'baz'] } }, nodes: ['foo', 'bar', 'baz'] };
  const now = side(three);
  const join = planChange(now, side(claimAgainst({ routingTable: { ring: { size: 64, nodes: ['foo', 'bar', 'baz', 'qux'] } }, nodes: ['foo', 'bar', 'baz', 'qux'] }, now.tables)));
  t.is(
    join.units.reduce((n, u) => n + u.count, 0),
    16,
  );
  t.true(join.units.every((u) => u.to === 'qux'));
  const leave = planChange(now, side(claimAgainst({ routingTable: { ring: { size: 64, nodes: ['foo', 'baz'] } }, nodes: ['foo', 'baz'] }, now.tables)));
  t.deepEqual(leave.leaving, ['bar']);
  t.is(
    leave.units.reduce((n, u) => n + u.count, 0),
    22,
  );
  t.true(leave.units.every((u) => u.from === 'bar'));
  // Claimed from scratch instead, the leave would reshuffle partitions between foo and baz too.
  t.true(planChange(now, side({ routingTable: { ring: { size: 64, nodes: ['foo', 'baz'] } }, nodes: ['foo', 'baz'] })).units.some((u) => u.from !== 'bar'));
  const apple = ringPartition('apple', 64);
  const owner = claim(64, ['foo', 'bar', 'baz'])[apple] as string;
  t.deepEqual(planChange(now, side(three), held({ [owner]: ['apple'] })).moves, []);
});

test('a change of partitioner: no unit moves (units do not compare); the buckets still do, by owner', (t) => {
  const guide = { routingTable: [{ range: [0, 255] as [number, number], node: 'foo' }], nodes: ['foo', 'bar'] };
  const plan = planChange(side(guide), side({ ...slots2 }), held({ foo: ['hello', '123456789'] }));
  t.deepEqual(plan.partitioner, { before: 'ranges', after: 'slots' });
  t.deepEqual(plan.units, []);
  t.deepEqual(
    plan.moves.map((m) => [m.bucket, m.to]),
    [['123456789', 'bar']],
  );
});

test('recorded traffic replayed on both: load per node, hops per op, and the buckets its writes left', (t) => {
  const fronted = (table: unknown): KvConfig => ({ nodes: { front: { storage: false, routingTable: { slots: [{ slots: '0-16383', node: 'foo' }] } }, foo: { routingTable: table as never }, bar: { routingTable: table as never } } });
  const before = fronted({ slots: [{ slots: '0-16383', node: 'foo' }] });
  const after = fronted({
    slots: [
      { slots: '0-8191', node: 'foo' },
      { slots: '8192-16383', node: 'bar' },
    ],
  });
  const log: TrafficLog = {
    kvmeshTraffic: 1,
    clock: 'virtual',
    nodes: ['front', 'foo', 'bar'],
    records: [
      [0, 0, 'c', '123456789', 0, 0, 0],
      [1, 0, 'p', '123456789', 7, 1, 5],
      [2, 0, 'p', '123456789', 8, 1, 5],
      [3, 0, 'p', '123456789', 7, 1, 9],
      [4, 1, 'g', 'hello', 7, 1, 0],
      [5, 0, 'd', '123456789', 8, 1, 0],
    ],
  };
  const plan = planChange(side(before), side(after), undefined, log);
  t.is(plan.bucketSource, 'traffic');
  t.deepEqual(plan.moves, [{ bucket: '123456789', keys: 1, bytes: 10, from: 'foo', to: 'bar' }]);
  t.deepEqual(
    [...(plan.traffic?.before.load ?? [])],
    [
      ['front', 0],
      ['foo', 6],
      ['bar', 0],
    ],
  );
  t.deepEqual(
    [...(plan.traffic?.after.load ?? [])],
    [
      ['front', 0],
      ['foo', 1],
      ['bar', 5],
    ],
  );
  t.deepEqual([plan.traffic?.before.hops, plan.traffic?.after.hops], [5, 10]);
  const lines = formatPlan(plan);
  t.true(lines.includes('traffic (6 recorded ops): hops per op 0.83 → 1.67'), lines.join('\n'));
  t.true(lines.includes('buckets that move (as the recorded writes left them): 1 of 1, 1 key, 10 B'), lines.join('\n'));
});

test('the printed plan: shares, unit runs, buckets, findings', (t) => {
  const plan = planChange(side(slots2), side(slots3), held({ bar: ['123456789'] }));
  t.deepEqual(formatPlan(plan), [...slots2to3Head, 'buckets that move (in the cluster): 1 of 1, 1 key, 10 B', '  "123456789": bar → baz, 1 key, 10 B', 'new lint findings: none']);
});
