/** Hash slots and rings as written in a config: what validates, every issue with its path, one partitioner per cluster. */
import test from 'ava';
import { replaceTable, validateConfig, validateTable } from '../../src/core/config.js';
import { parseSlots } from '../../src/core/table-forms.js';
import type { KvError } from '../../src/protocol/errors.js';

const two = { foo: {}, bar: {} };
const halves = {
  slots: [
    { slots: '0-8191', node: 'foo' },
    { slots: '8192-16383', node: 'bar' },
  ],
};

function issuesOf(input: unknown): string[] {
  try {
    validateConfig(input);
  } catch (e) {
    const error = e as KvError;
    if (error.code !== 'KV_ERR_BAD_CONFIG') throw e;
    return error.issues.map((i) => `${i.path}: ${i.message}`);
  }
  throw new Error('expected the config to be rejected');
}

test('a slots table: entries "from-to", "n", n or [from, to]; validated to { from, to, node }', (t) => {
  const { settings, warnings } = validateConfig({ nodes: two, routingTable: halves });
  t.deepEqual(settings.nodes[1]?.table, {
    slots: [
      { from: 0, to: 8191, node: 'foo' },
      { from: 8192, to: 16383, node: 'bar' },
    ],
  });
  t.deepEqual(warnings, []);
  t.deepEqual(parseSlots('5'), { from: 5, to: 5 });
  t.deepEqual(parseSlots(16383), { from: 16383, to: 16383 });
  t.deepEqual(parseSlots([0, 99]), { from: 0, to: 99 });
  // As read back from a node, the table validates to itself.
  t.deepEqual(validateTable(settings.nodes[0]?.table, ['foo', 'bar']), settings.nodes[0]?.table);
});

test('a slots table: every issue with its path, overlaps included', (t) => {
  t.deepEqual(issuesOf({ nodes: two, routingTable: { slots: [{ slots: '0-100', node: 'foo' }, { slots: '50-16384', node: 'bar' }, { slots: '9-3', node: 'x' }, { slots: 'a' }, { slots: [10, 20], node: 'bar', weight: 2 }] } }), [
    'routingTable.slots[1].slots: slot number 16384 is out of range: slots are integers 0-16383',
    'routingTable.slots[2].slots: slots 9-3 are reversed',
    'routingTable.slots[2].node: unknown node "x" (nodes: foo, bar)',
    'routingTable.slots[3].slots: expected "from-to", a slot number or [from, to] with slots 0-16383 but received "a"',
    'routingTable.slots[3].node: expected a node name but received nothing',
    'routingTable.slots[4].weight: unknown key (allowed: slots, node, from, to)',
    'routingTable.slots[4].slots: 10-20 overlaps 0-100 of entry 0',
  ]);
  t.deepEqual(issuesOf({ nodes: two, routingTable: { slots: 'all', extra: 1 } }), ['routingTable.extra: unknown key (allowed: slots)', 'routingTable.slots: expected an array of { slots, node } but received "all"']);
  t.deepEqual(issuesOf({ nodes: two, routingTable: { shards: [] } }), ['routingTable: expected an array of { range, node }, { slots: [...] } or { ring: { size, nodes } } but received an object with keys shards']);
  t.deepEqual(issuesOf({ nodes: two, routingTable: 5 }), ['routingTable: expected an array of { range, node }, { slots: [...] } or { ring: { size, nodes } } but received number 5']);
});

test('a ring: claimed by its nodes in order, or with owners as read back', (t) => {
  const { settings } = validateConfig({ nodes: two, routingTable: { ring: { size: 4, nodes: ['foo', 'bar'] } } });
  const table = settings.nodes[0]?.table;
  t.deepEqual(table, { ring: { size: 4, nodes: ['foo', 'bar'], owners: ['foo', 'bar', 'foo', 'bar'] } });
  t.deepEqual(validateTable(table, ['foo', 'bar']), table);
  t.deepEqual(validateTable({ ring: { size: 2, nodes: ['bar', 'foo'], owners: ['foo', 'foo'] } }, ['foo', 'bar']), { ring: { size: 2, nodes: ['bar', 'foo'], owners: ['foo', 'foo'] } });
});

test('a ring: every issue with its path', (t) => {
  t.deepEqual(issuesOf({ nodes: two, routingTable: { ring: { size: 48, nodes: ['foo', 'foo', 'x', 3], spread: 2 } } }), [
    'routingTable.ring.spread: unknown key (allowed: size, nodes, owners)',
    'routingTable.ring.size: expected a power of two from 1 to 16384 but received number 48',
    'routingTable.ring.nodes[1]: node "foo" is listed twice',
    'routingTable.ring.nodes[2]: unknown node "x" (nodes: foo, bar)',
    'routingTable.ring.nodes[3]: expected a node name but received number 3',
  ]);
  t.deepEqual(issuesOf({ nodes: two, routingTable: { ring: { size: 32768, nodes: [] } } }), ['routingTable.ring.size: expected a power of two from 1 to 16384 but received number 32768', 'routingTable.ring.nodes: expected a non-empty array of node names but received an array']);
  t.deepEqual(issuesOf({ nodes: two, routingTable: { ring: { size: 4, nodes: ['foo'], owners: ['foo', 'bar', 'foo', 'foo'] } } }), ['routingTable.ring.owners[1]: expected one of ring.nodes (foo) but received "bar"']);
  t.deepEqual(issuesOf({ nodes: two, routingTable: { ring: { size: 4, nodes: ['foo'], owners: ['foo'] } } }), ['routingTable.ring.owners: expected an array of 4 node names (one per partition) but received an array of 1']);
  t.deepEqual(issuesOf({ nodes: two, routingTable: { ring: [] } }), ['routingTable.ring: expected an object but received an array']);
});

test('one partitioner per cluster: a node with another form, or another ring size, is named; an empty table fits any', (t) => {
  t.deepEqual(issuesOf({ nodes: { foo: { routingTable: halves }, bar: { routingTable: [{ range: 'a-z', node: 'bar' }] } } }), ['nodes.bar.routingTable: a table of ranges, but node "foo" routes by slots: every table of a cluster uses one partitioner']);
  t.deepEqual(issuesOf({ nodes: { foo: { routingTable: { ring: { size: 8, nodes: ['foo'] } } }, bar: { routingTable: { ring: { size: 16, nodes: ['bar'] } } } } }), ['nodes.bar.routingTable.ring.size: a ring of 16, but node "foo"\'s ring has 8 partitions: every ring of a cluster has the same size']);
  t.deepEqual(validateConfig({ nodes: { front: { storage: false, routingTable: [] }, foo: { routingTable: halves }, bar: { routingTable: halves } } }).warnings, []);
});

test('a storage-less node may not keep slots or ring partitions for itself', (t) => {
  t.deepEqual(
    issuesOf({
      nodes: { foo: {}, front: { storage: false } },
      routingTable: {
        slots: [
          { slots: '0-9', node: 'front' },
          { slots: '10-16383', node: 'foo' },
        ],
      },
    }),
    ['nodes.front.routingTable.slots[0]: node "front" has storage: false but its table keeps slots 0-9 for itself'],
  );
  t.deepEqual(issuesOf({ nodes: { foo: {}, front: { storage: false } }, routingTable: { ring: { size: 8, nodes: ['foo', 'front'] } } }), ['nodes.front.routingTable.ring.nodes: node "front" has storage: false but its table keeps partitions 1, 3, 5, 7 (4 of 8) for itself']);
});

test('replaceTable keeps the cluster on one partitioner, and checks slots as the config does', (t) => {
  const { settings } = validateConfig({ nodes: two, routingTable: halves });
  const tables = new Map(settings.nodes.map((n) => [n.name, n.table]));
  const refused = t.throws(() => replaceTable(settings, tables, 'foo', [{ range: 'a-z', node: 'foo' }], 'table for node "foo"'));
  t.is(refused.message, 'invalid configuration (1 issue):\n  - table for node "foo": a table of ranges, but node "bar" routes by slots: every table of a cluster uses one partitioner');
  const { warnings } = replaceTable(settings, tables, 'foo', { slots: [{ slots: '0-16383', node: 'foo' }] }, 'table for node "foo"');
  t.deepEqual(warnings, ['slots 8192-16383 have 2 owners, depending on the node a request enters at (entry → owner: foo → foo, bar → bar): a bucket created via one entry is not found via another']);
  const loop = t.throws(() => replaceTable(settings, tables, 'foo', { slots: [{ slots: '0-16383', node: 'bar' }] }, 't'));
  t.is(loop.message, 'invalid configuration (1 issue):\n  - t: slots 0-8191 loop between nodes: bar → foo → bar');
});
