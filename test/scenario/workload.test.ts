/**
 * The workload drawn from a seed (pure): as many requests as the rate and duration say, in time
 * order within the run, each in its own slot; the same seed gives the same workload; bucket
 * names go to every node that owns data in turn; the mix is followed.
 */
import test from 'ava';
import fc from 'fast-check';
import { bucketNames, planWorkload } from '../../src/scenario/workload.js';
import { validateScenario } from '../../src/scenario/validate.js';
import { Random } from '../../src/sim/random.js';
import type { RoutingTable } from '../../src/core/routing.js';

const guide: RoutingTable = [
  { from: 97, to: 109, node: 'foo' },
  { from: 110, to: 122, node: 'bar' },
];
const tables = new Map([
  ['foo', guide],
  ['bar', guide],
]);
const plan = (scenario: object, seed = 1) => planWorkload(validateScenario({ config: 'x', ...scenario }), tables, ['foo', 'bar'], 16, new Random(seed));

test('property: the rate and duration give the count; requests in time order, each in its own slot of the run', (t) => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 0, max: 2000 }), fc.nat(), (durationMs, ratePerSec, seed) => {
      const w = plan({ durationMs, workload: { ratePerSec } }, seed);
      const period = 1000 / ratePerSec;
      return w.ops.length === Math.floor((durationMs * ratePerSec) / 1000) && w.ops.every((op, i) => op.i === i && op.t >= Math.floor(i * period) - 1 && op.t < (i + 1) * period && op.t < durationMs && (i === 0 || op.t >= (w.ops[i - 1]?.t ?? 0)));
    }),
  );
  t.pass();
});

test('the same seed, the same workload; another seed, another', (t) => {
  const a = plan({ workload: { ratePerSec: 50 } }, 7);
  t.deepEqual(plan({ workload: { ratePerSec: 50 } }, 7), a);
  t.notDeepEqual(plan({ workload: { ratePerSec: 50 } }, 8).ops, a.ops);
});

test('bucket names go to each owning node in turn; named buckets are used as they are', (t) => {
  t.deepEqual(bucketNames(5, tables, ['foo', 'bar'], 'foo', 16), ['a0', 'n1', 'a2', 'n3', 'a4']);
  t.deepEqual(plan({ workload: { buckets: ['apple', 'zebra'] } }).buckets, ['apple', 'zebra']);
  t.throws(() => bucketNames(1, new Map([['foo', []]]), ['foo'], 'foo', 16), { code: 'KV_ERR_NO_ROUTE', message: 'no bucket name starting with a letter or digit reaches an owner from node "foo"; name the buckets (workload.buckets) or check the routing tables' });
});

test('the mix is followed, entry nodes and keys spread', (t) => {
  const w = plan({ durationMs: 20_000, workload: { ratePerSec: 500, mix: { get: 1, put: 2, delete: 1 }, keysPerBucket: 3, enterAt: ['bar'] } });
  const share = (op: string): number => w.ops.filter((o) => o.op === op).length / w.ops.length;
  t.true(Math.abs(share('get') - 0.25) < 0.02 && Math.abs(share('put') - 0.5) < 0.02 && Math.abs(share('delete') - 0.25) < 0.02);
  t.deepEqual([...new Set(w.ops.map((o) => o.via))], ['bar']);
  t.deepEqual([...new Set(w.ops.map((o) => o.key))].sort(), ['k0', 'k1', 'k2']);
  t.deepEqual(
    plan({ workload: { mix: { put: 1 } } }).ops.every((o) => o.op === 'put'),
    true,
  );
});
