/** `kvmesh plan`: what a change would move, from the files alone and from recorded traffic; its usage and file errors. */
import test from 'ava';
import { tempConfigs } from './temp.js';
import { run } from './run-main.js';
import { slots2 as two, slots2to3Head, slots3 as three } from '../plan/expected.js';

const temp = tempConfigs('kvmesh-plan-');
const hint = 'Run `kvmesh plan --help` for usage.\n';

test('plan from the files alone: shares and the slot runs that move', async (t) => {
  t.deepEqual(await run(['plan', '-c', temp.config('two.json', two), '--to', temp.config('three.json', three)]), {
    code: 0,
    out: [...slots2to3Head, 'buckets that move: unknown without a cluster or --traffic (the units above are what moves)', 'new lint findings: none', ''].join('\n'),
    err: '',
  });
});

test('plan with --traffic: the buckets the recorded writes left, load per node and hops per op; a bucket left with no owner is exit 1', async (t) => {
  const traffic = temp.config('traffic.json', {
    kvmeshTraffic: 1,
    clock: 'real',
    nodes: ['foo', 'bar'],
    records: [
      [0, 0, 'c', '123456789', 0, 0, 0],
      [1, 0, 'p', '123456789', 7, 3, 4],
      [2, 1, 'g', 'hello', 7, 3, 0],
    ],
  });
  const { code, out } = await run(['plan', '-c', temp.config('two.json', two), '--to', temp.config('three.json', three), '--traffic', traffic]);
  t.is(code, 0);
  t.true(out.includes('buckets that move (as the recorded writes left them): 1 of 1, 1 key, 7 B\n  "123456789": bar → baz, 1 key, 7 B\n'), out);
  t.true(out.includes('traffic (3 recorded ops): hops per op 1.00 → 1.00\n  foo          1 → 1 ops\n  bar          2 → 0 ops\n  baz          0 → 2 ops\n'), out);
  const gap = temp.config('gap.json', { routingTable: { slots: [{ slots: '0-8191', node: 'foo' }] }, nodes: ['foo', 'bar'] });
  const lost = await run(['plan', '-c', temp.config('two.json', two), '--to', gap, '--traffic', traffic]);
  t.is(lost.code, 1);
  t.true(lost.out.includes('  "123456789": bar → (no owner: it would be lost), 1 key, 7 B\n'), lost.out);
  t.true(lost.out.includes('new lint findings:\n  warning: slots 8192-16383 are covered by no table: buckets hashing to them cannot be routed\n'), lost.out);
});

test('plan: a missing --to is a usage error; a bad traffic log or proposed config is exit 1 naming it; the next command runs', async (t) => {
  t.deepEqual(await run(['plan', '-c', temp.config('two.json', two)]), { code: 2, out: '', err: `kvmesh plan: missing --to FILE (the proposed configuration)\n${hint}` });
  const bad = temp.config('bad-traffic.json', { kvmeshTraffic: 1, nodes: ['foo'], records: [[0, 3, 'x', 'b', 0, 0, 0]] });
  t.deepEqual(await run(['plan', '-c', temp.config('two.json', two), '--to', temp.config('three.json', three), '--traffic', bad]), {
    code: 1,
    out: '',
    err: `kvmesh: invalid configuration (1 issue):\n  - ${bad}.records[0]: expected [t, entry node index, op (c, g, p, d or a), bucket, key hash, key bytes, value bytes]\n`,
  });
  const junk = temp.config('junk.json', 'not json');
  t.regex((await run(['plan', '-c', temp.config('two.json', two), '--to', temp.config('three.json', three), '--traffic', junk])).err, /^kvmesh: invalid JSON in traffic log .*junk\.json: /);
  const proposed = temp.config('loop.json', { nodes: { foo: { routingTable: { slots: [{ slots: '0-16383', node: 'bar' }] } }, bar: { routingTable: { slots: [{ slots: '0-16383', node: 'foo' }] } } } });
  t.deepEqual(await run(['plan', '-c', temp.config('two.json', two), '--to', proposed]), {
    code: 1,
    out: '',
    err: `kvmesh: ${proposed}: invalid configuration (1 issue):\n  - routingTable: slots 0-16383 loop between nodes: bar → foo → bar\n`,
  });
  t.is((await run(['plan', '-c', temp.config('two.json', two), '--to', temp.config('three.json', three)])).code, 0);
});
