/**
 * The durability check on hand-made histories: acknowledged writes read back (or overwritten by
 * writes that may follow them) pass; a stale read is flagged; a loss with the node that held it
 * is excused and listed; a table swap that sends a bucket away from its data is flagged as such.
 */
import test from 'ava';
import { checkDurability } from '../../src/scenario/durability.js';
import { Routes } from '../../src/scenario/history.js';
import type { Timeline } from '../../src/scenario/history.js';
import { guide, history, timeline } from './histories.js';
import type { Line } from './histories.js';

const create: Line = ['create', 'apple', null, 0, 1, 'ok'];
const check = (lines: readonly Line[], t: Timeline = timeline()) => checkDurability(history(lines), t, new Routes(t));

test('writes read back, or overwritten by a write that may come after them, are durable', (t) => {
  const r = check([create, ['put', 'apple/k', '1', 2, 3, 'ok'], ['get', 'apple/k', null, 4, 5, '1'], ['put', 'apple/k', '2', 6, 20, 'ok'], ['get', 'apple/k', null, 7, 8, '2'], ['delete', 'apple/k', null, 21, 22, '2'], ['get', 'apple/k', null, 23, 24, 'nil']]);
  t.is(r.verdict, 'ok');
  t.is(r.summary, '4 acknowledged writes, none lost');
  t.is(r.writes, 4);
});

test('a read that misses an acknowledged write is flagged, naming both', (t) => {
  const r = check([create, ['put', 'apple/k', '1', 2, 3, 'ok'], ['put', 'apple/k', '2', 4, 5, 'ok'], ['get', 'apple/k', null, 6, 7, '1']]);
  t.is(r.verdict, 'violation');
  t.is(r.violationCount, 1);
  t.deepEqual(r.violations[0], {
    write: '#2 put apple/k = 2 via foo [4, 5] ok',
    read: '#3 get apple/k via foo [6, 7] ok "1"',
    why: 'a read of bucket "apple" on node "foo" did not return it, and nothing explains the loss',
    ids: [2, 3],
  });
  t.is(r.summary, '1 of 3 acknowledged writes lost: a read of bucket "apple" on node "foo" did not return it, and nothing explains the loss');
});

test('a write without an answer may be lost; an old value read after it is no loss', (t) => {
  t.is(check([create, ['put', 'apple/k', '1', 2, 3, 'ok'], ['put', 'apple/k', '2', 4, 5, 'timeout'], ['get', 'apple/k', null, 6, 7, '1']]).verdict, 'ok');
});

test('writes lost with the node that held them are excused, and listed with the death', (t) => {
  const lines: Line[] = [create, ['put', 'apple/k', '1', 2, 3, 'ok'], ['get', 'apple/k', null, 6, 7, 'nobucket'], ['put', 'zebra/k', '1', 2, 3, 'ok', 'bar'], ['get', 'zebra/k', null, 6, 7, '1', 'bar']];
  const r = check(lines, timeline(undefined, [{ node: 'foo', t: 5, reason: 'killed by cluster.kill' }]));
  t.is(r.verdict, 'ok');
  t.is(r.lostWithNodeCount, 1);
  t.deepEqual(r.lostWithNode[0], { write: '#1 put apple/k = 1 via foo [2, 3] ok', read: '#2 get apple/k via foo [6, 7] KV_ERR_NO_BUCKET', why: 'node "foo" died at 5 (killed by cluster.kill)', ids: [1, 2] });
  t.is(r.summary, '3 acknowledged writes, none lost but 1 with the node that held them');
});

test('a read in flight when the node died may reach its next life: the loss is excused (found by --seeds)', (t) => {
  const lines: Line[] = [create, ['put', 'apple/k', '1', 2, 3, 'ok'], ['get', 'apple/k', null, 4, 8, 'nil'], ['create', 'apple', null, 6, 7, 'ok']];
  const r = check(lines, timeline(undefined, [{ node: 'foo', t: 5, reason: 'killed' }]));
  t.is(r.verdict, 'ok');
  t.is(r.lostWithNode[0]?.why, 'node "foo" died at 5 (killed)');
  // Dead after the read answered: nothing explains it.
  t.is(check(lines, timeline(undefined, [{ node: 'foo', t: 9, reason: 'killed' }])).verdict, 'violation');
});

test('a table swap that moves a bucket away from its data is flagged as that', (t) => {
  const toBar = [{ from: 97, to: 122, node: 'bar' }];
  const swapped = timeline([
    [0, guide, 'config'],
    [10, toBar, 'setRoutingTable (faults[0], faults[1])'],
  ]);
  const r = check([create, ['put', 'apple/k', '1', 2, 3, 'ok'], ['get', 'apple/k', null, 12, 13, 'nobucket']], swapped);
  t.is(r.verdict, 'violation');
  t.is(r.violations[0]?.why, 'setRoutingTable (faults[0], faults[1]) at 10 sent bucket "apple" to node "bar", away from its data on node "foo"');
  // The bucket itself, created on foo, is lost too for a key never written.
  t.is(check([create, ['get', 'apple/j', null, 12, 13, 'nobucket']], swapped).violations[0]?.write, '#0 create apple via foo [0, 1] ok');
  // A swap that keeps the bucket where its data is loses nothing.
  const same = timeline([
    [0, guide, 'config'],
    [
      10,
      [
        { from: 97, to: 109, node: 'foo' },
        { from: 110, to: 122, node: 'foo' },
      ],
      'setRoutingTable',
    ],
  ]);
  t.is(check([create, ['put', 'apple/k', '1', 2, 3, 'ok'], ['get', 'apple/k', null, 12, 13, '1']], same).verdict, 'ok');
});

test('a read entering where the bucket has another owner is flagged as an owner that depends on the entry', (t) => {
  const split: Timeline = {
    ...timeline(),
    tables: [
      {
        t: 0,
        done: 0,
        why: 'config',
        tables: new Map([
          ['foo', guide],
          ['bar', [{ from: 97, to: 122, node: 'bar' }]],
        ]),
      },
    ],
  };
  const r = check([create, ['put', 'apple/k', '1', 2, 3, 'ok'], ['get', 'apple/k', null, 4, 5, 'nobucket', 'bar']], split);
  t.is(r.violations[0]?.why, 'bucket "apple" is owned by node "foo" for requests entering at "foo" but by node "bar" for those entering at "bar"');
});
