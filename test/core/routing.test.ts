import test from 'ava';
import { entryFor, formatBytes, formatTable, lintTables, noRouteMessage, ownerFrom, trace, tooManyHopsMessage } from '../../src/core/routing.js';
import type { RoutingTable } from '../../src/core/routing.js';

const a = 0x61;
const m = 0x6d;
const n = 0x6e;
const z = 0x7a;
const guide: RoutingTable = [
  { from: a, to: m, node: 'foo' },
  { from: n, to: z, node: 'bar' },
];

test('the first entry covering the byte wins', (t) => {
  const table: RoutingTable = [
    { from: a, to: a, node: 'first' },
    { from: a, to: z, node: 'second' },
  ];
  t.is(entryFor(table, a)?.node, 'first');
  t.is(entryFor(table, 0x62)?.node, 'second');
  t.is(entryFor(table, 0x41), undefined);
});

test('both ends of a range are included', (t) => {
  t.is(entryFor(guide, a)?.node, 'foo');
  t.is(entryFor(guide, m)?.node, 'foo');
  t.is(entryFor(guide, n)?.node, 'bar');
  t.is(entryFor(guide, z)?.node, 'bar');
  t.is(entryFor(guide, z + 1), undefined);
});

test('a table reads as ranges and node names', (t) => {
  t.is(formatTable(guide), '[a-m → foo, n-z → bar]');
  t.is(formatTable([{ from: 0, to: 0x20, node: 'x' }]), '[0x00-0x20 → x]');
  t.is(formatTable([]), '[] (empty)');
  t.is(formatBytes([0, 1, 2, 0x61, 0x7b, 0x7c, 0xff]), '0x00-0x02, a, {-|, 0xff');
});

test('the no-route message names the bucket, its first byte, the node and its table', (t) => {
  t.is(noRouteMessage('Zzz', 'foo', guide), 'no route for bucket "Zzz" (first byte 0x5a) on node "foo": its table is [a-m → foo, n-z → bar]');
  t.is(noRouteMessage('\xc3\xa9t\xc3\xa9', 'foo', []), 'no route for bucket "été" (first byte 0xc3) on node "foo": its table is [] (empty)');
  t.is(noRouteMessage('', 'foo', guide), 'no route for an empty bucket name on node "foo": routing needs a first byte');
});

test('the too-many-hops message names the path', (t) => {
  t.is(tooManyHopsMessage('apple', ['foo', 'bar', 'baz'], 1), 'too many hops for bucket "apple": forwarded 1 time (the hop limit) along foo → bar → baz');
  t.is(tooManyHopsMessage('apple', ['foo', 'bar', 'foo'], 2), 'too many hops for bucket "apple": forwarded 2 times (the hop limit) along foo → bar → foo');
});

const chain = new Map<string, RoutingTable>([
  ['foo', [{ from: a, to: z, node: 'bar' }]],
  ['bar', [{ from: a, to: z, node: 'baz' }]],
  ['baz', [{ from: a, to: z, node: 'baz' }]],
]);

test('trace follows each node’s own table to the owner', (t) => {
  const result = trace(chain, 'foo', a);
  t.deepEqual(
    result.hops.map((h) => h.node),
    ['foo', 'bar', 'baz'],
  );
  t.deepEqual(result.outcome, { kind: 'owner', node: 'baz' });
  t.deepEqual(
    trace(chain, 'baz', a).hops.map((h) => h.node),
    ['baz'],
  );
});

test('trace stops at a node without an entry, at a loop and past the hop limit', (t) => {
  t.deepEqual(trace(chain, 'foo', 0x41).outcome, { kind: 'no-route', node: 'foo' });
  const loop = new Map<string, RoutingTable>([
    ['foo', [{ from: a, to: z, node: 'bar' }]],
    ['bar', [{ from: a, to: z, node: 'foo' }]],
  ]);
  t.deepEqual(trace(loop, 'foo', a).outcome, { kind: 'loop', cycle: ['foo', 'bar', 'foo'] });
  t.deepEqual(trace(chain, 'foo', a, 1).outcome, { kind: 'too-many-hops' });
  t.deepEqual(trace(chain, 'foo', a, 2).outcome, { kind: 'owner', node: 'baz' });
});

test('lint reports loops as errors and uncovered bytes, dead ends and long paths as warnings', (t) => {
  const tables = new Map<string, RoutingTable>([
    [
      'foo',
      [
        { from: a, to: m, node: 'bar' },
        { from: n, to: z, node: 'foo' },
      ],
    ],
    [
      'bar',
      [
        { from: a, to: m, node: 'foo' },
        { from: 0x41, to: 0x41, node: 'foo' },
      ],
    ],
  ]);
  const result = lintTables(tables, 16);
  t.deepEqual(result.errors, ['bytes a-m loop between nodes: bar → foo → bar']);
  t.deepEqual(result.warnings, ['bytes 0x00-@, B-`, {-0xff are covered by no table: buckets starting with them cannot be routed', 'bytes A are forwarded along bar → foo, whose table has no entry for them']);
});

test('lint warns about paths longer than the hop limit', (t) => {
  const result = lintTables(chain, 1);
  t.deepEqual(result.errors, []);
  t.true(result.warnings.includes('bytes a-z take 2 hops (foo → bar → baz), more than the hop limit 1'));
});

test('lint warns about bytes whose owner depends on the entry node, naming the owner per entry', (t) => {
  // The README's example: foo routes a-m to itself, bar keeps a-z for itself.
  const readme = new Map<string, RoutingTable>([
    ['foo', guide],
    ['bar', [{ from: a, to: z, node: 'bar' }]],
  ]);
  const result = lintTables(readme, 16);
  t.deepEqual(result.errors, []);
  t.deepEqual(result.warnings, ['bytes 0x00-`, {-0xff are covered by no table: buckets starting with them cannot be routed', 'bytes a-m have 2 owners, depending on the node a request enters at (entry → owner: foo → foo, bar → bar): a bucket created via one entry is not found via another']);
});

test('lint groups split bytes by their owners per entry, and counts distinct owners', (t) => {
  const tables = new Map<string, RoutingTable>([
    ['foo', [{ from: a, to: z, node: 'foo' }]],
    [
      'bar',
      [
        { from: a, to: a, node: 'bar' },
        { from: 0x62, to: m, node: 'foo' },
        { from: n, to: z, node: 'bar' },
      ],
    ],
    [
      'baz',
      [
        { from: a, to: a, node: 'baz' },
        { from: 0x62, to: z, node: 'bar' },
      ],
    ],
  ]);
  // b-m end on foo from every entry (baz → bar → foo): no warning for them.
  t.deepEqual(lintTables(tables, 16).warnings.slice(1), [
    'bytes a have 3 owners, depending on the node a request enters at (entry → owner: foo → foo, bar → bar, baz → baz): a bucket created via one entry is not found via another',
    'bytes n-z have 2 owners, depending on the node a request enters at (entry → owner: foo → foo, bar → bar, baz → bar): a bucket created via one entry is not found via another',
  ]);
});

test('one owner from every entry node is no warning, even through forwards or with nodes that cannot route', (t) => {
  const tables = new Map<string, RoutingTable>([
    ['front', [{ from: 0, to: 0xff, node: 'foo' }]],
    ['foo', [{ from: 0, to: 0xff, node: 'foo' }]],
    ['bare', []],
  ]);
  t.deepEqual(lintTables(tables, 16), { errors: [], warnings: [] });
  t.deepEqual(lintTables(chain, 16), { errors: [], warnings: ['bytes 0x00-`, {-0xff are covered by no table: buckets starting with them cannot be routed'] });
});

test("ownerFrom follows every node's own table from the entry node", (t) => {
  t.is(ownerFrom(chain, 'foo', 'apple'), 'baz');
  t.is(ownerFrom(chain, 'baz', 'apple'), 'baz');
  t.is(ownerFrom(chain, 'foo', ''), undefined);
  t.is(ownerFrom(chain, 'foo', 'Zebra'), undefined);
});
