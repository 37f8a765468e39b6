/** The model of the property tests (which values a final read may return), without a simulation. */
import test from 'ava';
import { bucketExists, candidates, overlaps } from './history.js';
import type { Write } from './history.js';

const ok = (value: string | undefined, issued: number, settled: number, dupable = false): Write => ({ value, issued, settled, outcome: { ok: undefined }, dupable });
const failed = (code: string, value: string | undefined, issued: number, settled: number, dupable = false): Write => ({ value, issued, settled, outcome: { code, message: '' }, dupable });
const values = (writes: Write[], death = -Infinity): (string | undefined)[] => [...candidates(writes, death).values].sort();

test('acknowledged writes one after another: only the last one may be read', (t) => {
  t.deepEqual(values([ok('a', 0, 1), ok('b', 2, 3), ok(undefined, 4, 5), ok('c', 6, 7)]), ['c']);
  t.true(candidates([ok('a', 0, 1), ok('b', 2, 3)], -Infinity).exact);
  t.deepEqual(values([ok('a', 0, 1), ok(undefined, 2, 3)]), [undefined], 'a delete last');
  t.deepEqual(values([]), [undefined], 'never written');
});

test('overlapping acknowledged writes: either may be last, an earlier one not', (t) => {
  t.deepEqual(values([ok('a', 0, 1), ok('b', 2, 5), ok('c', 3, 4)]), ['b', 'c']);
  t.false(candidates([ok('b', 2, 5), ok('c', 3, 4)], -Infinity).exact);
});

test('a timed-out or NODE_DOWN write may land any time later; a refused one never', (t) => {
  t.deepEqual(values([failed('KV_ERR_TIMEOUT', 'a', 0, 300), ok('b', 400, 401)]), ['a', 'b']);
  t.deepEqual(values([failed('KV_ERR_NODE_DOWN', 'a', 0, 1)]), ['a', undefined], 'maybe never applied');
  t.deepEqual(values([ok('b', 0, 1), failed('KV_ERR_NO_BUCKET', 'a', 2, 3)]), ['b']);
  t.deepEqual(values([ok('b', 0, 1), failed('KV_ERR_NO_BUCKET', 'a', 2, 3, true)]), ['a', 'b'], 'unless a copy of it may still run');
});

test('a duplicated write may be run again after a later one', (t) => {
  t.deepEqual(values([ok('a', 0, 1, true), ok('b', 2, 3)]), ['a', 'b']);
});

test("the owner's death: what it acknowledged before is gone, what was in flight may have landed after", (t) => {
  t.deepEqual(values([ok('a', 0, 1), ok('b', 2, 3)], 10), [undefined]);
  t.deepEqual(values([ok('a', 0, 1), ok('b', 9, 11)], 10), ['b', undefined]);
  t.deepEqual(values([ok('a', 0, 1), ok('b', 11, 12)], 10), ['b']);
  t.deepEqual(values([failed('KV_ERR_TIMEOUT', 'a', 0, 300), ok('b', 11, 12)], 10), ['a', 'b']);
});

test('a bucket exists once created after the last death, may if a create was in doubt, not otherwise', (t) => {
  t.true(bucketExists([ok(undefined, 0, 1)], -Infinity));
  t.false(bucketExists([ok(undefined, 0, 1)], 5));
  t.true(bucketExists([ok(undefined, 0, 1), ok(undefined, 6, 7)], 5));
  t.is(bucketExists([failed('KV_ERR_TIMEOUT', undefined, 0, 300)], 5), undefined);
  t.is(bucketExists([ok(undefined, 4, 6)], 5), undefined);
  t.false(bucketExists([], -Infinity));
});

test('overlaps: closed intervals, the last one open until Infinity', (t) => {
  const dups = [
    { from: 10, to: 20 },
    { from: 30, to: Infinity },
  ];
  t.true(overlaps(dups, 0, 10));
  t.true(overlaps(dups, 15, 16));
  t.false(overlaps(dups, 21, 29));
  t.true(overlaps(dups, 1000, 1001));
});
