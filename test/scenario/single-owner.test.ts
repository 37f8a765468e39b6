/**
 * The single-owner check on hand-made timelines: consistent tables pass; an owner that depends on
 * the entry node is flagged under the tables that make it; a bucket created on a second node
 * while the first lives, or reported by two nodes at the end, is flagged.
 */
import test from 'ava';
import { checkSingleOwner } from '../../src/scenario/single-owner.js';
import { Routes } from '../../src/scenario/history.js';
import type { Timeline } from '../../src/scenario/history.js';
import { guide, history, timeline } from './histories.js';
import type { Line } from './histories.js';

const check = (lines: readonly Line[], t: Timeline, held = new Map<string, string[]>()) => checkSingleOwner(history(lines), t, new Routes(t), ['foo', 'bar'], ['apple', 'zebra'], { t: 100, held });
const toBar = [{ from: 97, to: 122, node: 'bar' }];

test('one table for every node: each bucket on one node', (t) => {
  const r = check(
    [
      ['create', 'apple', null, 0, 1, 'ok'],
      ['create', 'zebra', null, 0, 1, 'ok'],
    ],
    timeline(),
    new Map([
      ['apple', ['foo']],
      ['zebra', ['bar']],
    ]),
  );
  t.is(r.verdict, 'ok');
  t.is(r.summary, '2 buckets, each on one node and owned alike from every entry');
});

test('an owner that depends on the entry node is flagged, under the tables that make it', (t) => {
  const split: Timeline = {
    ...timeline(),
    tables: [
      ...timeline().tables,
      {
        t: 5,
        done: 6,
        why: 'setRoutingTable (faults[0])',
        tables: new Map([
          ['foo', guide],
          ['bar', toBar],
        ]),
      },
    ],
  };
  const r = check([], split);
  t.is(r.verdict, 'violation');
  t.deepEqual(r.violations, [{ bucket: 'apple', t: 5, why: 'owner depends on the entry node: from foo: foo, from bar: bar (tables of setRoutingTable (faults[0]))' }]);
});

test('a bucket created on a second node while the first still holds it is flagged; after the first died it is not', (t) => {
  const swapped = timeline([
    [0, guide, 'config'],
    [10, toBar, 'setRoutingTable'],
  ]);
  const lines: Line[] = [
    ['create', 'apple', null, 0, 1, 'ok'],
    ['create', 'apple', null, 11, 12, 'ok'],
  ];
  t.deepEqual(check(lines, swapped).violations, [{ bucket: 'apple', t: 12, why: 'exists on node "foo" (created at 1) and on node "bar" (created at 12)' }]);
  t.is(
    check(
      lines,
      timeline(
        [
          [0, guide, 'config'],
          [10, toBar, 'setRoutingTable'],
        ],
        [{ node: 'foo', t: 5, reason: 'killed' }],
      ),
    ).verdict,
    'ok',
  );
  // A create that failed made nothing.
  t.is(check([lines[0] as Line, ['create', 'apple', null, 11, 12, 'timeout']], swapped).verdict, 'ok');
});

test('two nodes holding a bucket at the end is flagged', (t) => {
  const r = check([], timeline(), new Map([['zebra', ['foo', 'bar']]]));
  t.deepEqual(r.violations, [{ bucket: 'zebra', t: 100, why: 'at the end, nodes "foo" and "bar" each hold it' }]);
  t.is(r.summary, '1 finding; the first: bucket "zebra" at the end, nodes "foo" and "bar" each hold it');
});
