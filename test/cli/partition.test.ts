/** `kvmesh route` and `kvmesh check` on hash slots and rings: the slot or partition a bucket falls in, tables as they read. */
import test from 'ava';
import { tempConfigs } from './temp.js';
import { run } from './run-main.js';

const temp = tempConfigs('kvmesh-partition-');
const halves = {
  slots: [
    { slots: '0-8191', node: 'foo' },
    { slots: '8192-16383', node: 'bar' },
  ],
};
const slots = { routingTable: halves, nodes: { front: { port: 0, storage: false, routingTable: { slots: [{ slots: '0-16383', node: 'foo' }] } }, foo: {}, bar: {} } };
const ring = { routingTable: { ring: { size: 64, nodes: ['foo', 'bar', 'baz'] } }, nodes: ['foo', 'bar', 'baz'] };

test("route on slots prints the bucket's slot and each slot entry matched", async (t) => {
  t.deepEqual(await run(['route', '123456789', '-c', temp.config('slots.json', slots)]), {
    code: 0,
    out: ['bucket "123456789" (slot 12739) entering at node front:', '  front: slots 0-16383 → foo, forwards to foo', '  foo: slots 8192-16383 → bar, forwards to bar', '  bar: slots 8192-16383 → bar, owns it', 'owner: bar (2 hops)', ''].join('\n'),
    err: '',
  });
  const gap = { nodes: { foo: { routingTable: { slots: [{ slots: 0, node: 'foo' }] } } } };
  t.deepEqual(await run(['route', 'hello', '-c', temp.config('gap.json', gap)]), {
    code: 1,
    out: 'bucket "hello" (slot 866) entering at node foo:\n  foo: no entry for slot 866\nerror KV_ERR_NO_ROUTE: no route for bucket "hello" (slot 866) on node "foo": its table is [slots 0 → foo]\n',
    err: '',
  });
});

test("route on a ring prints the bucket's partition", async (t) => {
  t.deepEqual(await run(['route', 'apple', '-c', temp.config('ring.json', ring), '--from', 'bar']), {
    code: 0,
    out: 'bucket "apple" (partition 44 of 64) entering at node bar:\n  bar: partition 44 → foo, forwards to foo\n  foo: partition 44 → foo, owns it\nowner: foo (1 hop)\n',
    err: '',
  });
});

test('check prints slot and ring tables, and lints slots like bytes', async (t) => {
  const ok = await run(['check', '-c', temp.config('ring.json', ring)]);
  t.is(ok.code, 0);
  t.true(ok.out.includes('  foo: storage only\n    routes [ring of 64: foo 21, bar 22, baz 21]\n'), ok.out);
  const gap = {
    routingTable: {
      slots: [
        { slots: '0-8000', node: 'foo' },
        { slots: '8192-16383', node: 'foo' },
      ],
    },
    nodes: ['foo'],
  };
  const warned = await run(['check', '-c', temp.config('gap.json', gap)]);
  t.true(warned.out.endsWith('    routes [slots 0-8000 → foo, 8192-16383 → foo]\nwarning: slots 8001-8191 are covered by no table: buckets hashing to them cannot be routed\n'), warned.out);
  const mixed = await run(['check', '-c', temp.config('mixed.json', { nodes: { foo: { routingTable: halves }, bar: { routingTable: [{ range: 'a-z', node: 'bar' }] } } })]);
  t.is(mixed.code, 1);
  t.regex(mixed.err, /nodes\.bar\.routingTable: a table of ranges, but node "foo" routes by slots: every table of a cluster uses one partitioner/);
});
