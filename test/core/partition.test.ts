/** The three partitioners through one lens (src/core/partition.ts): units, entries, owners, how tables read, the lint and traces on slots and rings. */
import test from 'ava';
import { describeUnit, entryFor, formatTable, tableLines, unitCount, unitOf, unitOwners } from '../../src/core/partition.js';
import { lintTables, noRouteMessage, ownerFrom, slotOwner, trace } from '../../src/core/routing.js';
import type { RoutingTable } from '../../src/core/routing.js';
import { keySlot } from '../../src/core/slots.js';
import { claim, ringPartition } from '../../src/core/ring.js';

const slots: RoutingTable = {
  slots: [
    { from: 0, to: 8191, node: 'foo' },
    { from: 8192, to: 16383, node: 'bar' },
  ],
};
const ring: RoutingTable = { ring: { size: 8, nodes: ['foo', 'bar'], owners: claim(8, ['foo', 'bar']) } };
const index = (n: string): number | undefined => ({ foo: 0, bar: 1 })[n];

test("a bucket's unit: its first byte, its hash slot (hash tags included), its ring partition", (t) => {
  t.is(unitOf([], 'apple'), 0x61);
  t.is(unitOf([], ''), -1);
  t.is(unitOf(slots, '123456789'), 12739);
  t.is(unitOf(slots, '{user1}.cart'), unitOf(slots, '{user1}.orders'));
  t.is(unitOf(slots, ''), 0);
  t.is(unitOf(ring, 'apple'), ringPartition('apple', 8));
  t.is(keySlot('gfoo', 1), keySlot('foo'));
  t.is(keySlot('p{a}b', 1), keySlot('a'));
  t.deepEqual([unitCount([]), unitCount(slots), unitCount(ring)], [256, 16384, 8]);
});

test('entries and owners per unit: the first range wins; a ring partition is its own entry', (t) => {
  t.deepEqual(entryFor(slots, 8192), { from: 8192, to: 16383, node: 'bar' });
  t.deepEqual(entryFor(ring, 1), { from: 1, to: 1, node: 'bar' });
  t.is(entryFor(ring, 8), undefined);
  const owners = unitOwners(
    [
      { from: 0x61, to: 0x61, node: 'bar' },
      { from: 0x61, to: 0x7a, node: 'foo' },
    ],
    index,
  );
  t.deepEqual([owners[0x60], owners[0x61], owners[0x62], owners[0x7a], owners[0x7b]], [-1, 1, 0, 0, -1]);
  t.deepEqual([...unitOwners(ring, index)], [0, 1, 0, 1, 0, 1, 0, 1]);
  t.deepEqual([...unitOwners(slots, index).subarray(8190, 8194)], [0, 0, 1, 1]);
});

test('tables read as one line and as lines; where a bucket falls, as messages say it', (t) => {
  t.is(formatTable(slots), '[slots 0-8191 → foo, 8192-16383 → bar]');
  t.is(formatTable({ slots: [] }), '[slots: none] (empty)');
  t.is(formatTable(ring), '[ring of 8: foo 4, bar 4]');
  t.deepEqual(tableLines(slots), ['slots 0-8191 → foo', 'slots 8192-16383 → bar']);
  t.deepEqual(tableLines(ring), ['ring of 8: foo 4, bar 4']);
  t.is(describeUnit(slots, 'hello'), 'slot 866');
  t.is(describeUnit(ring, 'apple'), `partition ${ringPartition('apple', 8)} of 8`);
  t.is(noRouteMessage('hello', 'foo', { slots: [{ from: 0, to: 100, node: 'foo' }] }), 'no route for bucket "hello" (slot 866) on node "foo": its table is [slots 0-100 → foo]');
  t.is(noRouteMessage('', 'foo', { slots: [] }), 'no route for bucket "" (slot 0) on node "foo": its table is [slots: none] (empty)');
});

test('traces and owners through slots tables, hop by hop', (t) => {
  const tables = new Map<string, RoutingTable>([
    ['front', { slots: [{ from: 0, to: 16383, node: 'foo' }] }],
    ['foo', slots],
    ['bar', slots],
  ]);
  t.deepEqual(
    trace(tables, 'front', 12739).hops.map((h) => h.node),
    ['front', 'foo', 'bar'],
  );
  t.is(ownerFrom(tables, 'front', '123456789'), 'bar');
  t.is(ownerFrom(tables, 'front', 'hello'), 'foo');
  t.is(slotOwner(tables, 'front', 12739), 'bar');
  t.is(slotOwner(new Map([['foo', [{ from: 0, to: 255, node: 'foo' }]]]), 'foo', 5), undefined, 'byte ranges have no slots');
});

test('the lint on slots: gaps, loops, dead ends and entry-dependent owners, named by slot', (t) => {
  const tables = new Map<string, RoutingTable>([
    [
      'foo',
      {
        slots: [
          { from: 0, to: 99, node: 'bar' },
          { from: 100, to: 8191, node: 'foo' },
        ],
      },
    ],
    [
      'bar',
      {
        slots: [
          { from: 0, to: 49, node: 'foo' },
          { from: 60, to: 99, node: 'bar' },
          { from: 8192, to: 16000, node: 'bar' },
        ],
      },
    ],
  ]);
  t.deepEqual(lintTables(tables, 16), {
    errors: ['slots 0-49 loop between nodes: bar → foo → bar'],
    warnings: ['slots 16001-16383 are covered by no table: buckets hashing to them cannot be routed', 'slots 50-59 are forwarded along foo → bar, whose table has no entry for them'],
  });
});

test('the lint on a ring: one owner per partition is clean; tables that disagree name the partitions', (t) => {
  t.deepEqual(
    lintTables(
      new Map([
        ['foo', ring],
        ['bar', ring],
      ]),
      16,
    ),
    { errors: [], warnings: [] },
  );
  const other: RoutingTable = { ring: { size: 8, nodes: ['foo', 'bar'], owners: ['foo', 'foo', 'foo', 'bar', 'foo', 'bar', 'foo', 'bar'] } };
  t.deepEqual(
    lintTables(
      new Map([
        ['foo', ring],
        ['bar', other],
      ]),
      16,
    ),
    {
      errors: ['partitions 1 loop between nodes: bar → foo → bar'],
      warnings: [],
    },
  );
});
