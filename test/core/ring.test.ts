/** The consistent-hash ring (src/core/ring.ts): the hash, and claim's laws over random joins and leaves. */
import test from 'ava';
import fc from 'fast-check';
import { claim, join, leave, ownership, reclaim, ringHash, ringPartition } from '../../src/core/ring.js';
import { slotMembers, slotsJoin, slotsLeave } from '../../src/core/slot-claim.js';

const counts = (owners: readonly string[], nodes: readonly string[]): number[] => [...ownership(owners, nodes).values()];
const balanced = (owners: readonly string[], nodes: readonly string[]): boolean => {
  const lo = Math.floor(owners.length / nodes.length);
  return counts(owners, nodes).every((c) => c === lo || c === Math.ceil(owners.length / nodes.length)) && owners.every((o) => nodes.includes(o));
};
const moved = (a: readonly string[], b: readonly string[]): [from: string, to: string][] => a.flatMap((o, p) => (o === b[p] ? [] : [[o, b[p] as string] as [string, string]]));

test("a bucket's partition is the top bits of its hash: the same on every ring size that divides", (t) => {
  t.is(ringHash(''), ringHash('x', 1));
  for (const name of ['apple', 'zebra', '{user1}.cart', '\xff\x00']) {
    const p64 = ringPartition(name, 64);
    t.true(p64 >= 0 && p64 < 64);
    t.is(ringPartition(name, 32), p64 >> 1);
    t.is(ringPartition(name, 1), 0);
    t.is(ringPartition(`xx${name}`, 64, 2), p64);
  }
});

test('names spread evenly over the partitions (64 000 names on 64: every partition within 15 % of 1000)', (t) => {
  const per = new Array<number>(64).fill(0);
  for (let i = 0; i < 64_000; i++) per[ringPartition(`bucket${i}`, 64)] = (per[ringPartition(`bucket${i}`, 64)] ?? 0) + 1;
  t.true(Math.min(...per) > 850 && Math.max(...per) < 1150, `${Math.min(...per)}..${Math.max(...per)}`);
});

test("claim: 3 nodes on 64 own 21, 22 and 21; a 5th node on 32 gives [6,6,7,7,6], never Riak's [6,6,6,8,6]", (t) => {
  t.deepEqual(counts(claim(64, ['foo', 'bar', 'baz']), ['foo', 'bar', 'baz']), [21, 22, 21]);
  const four = claim(32, ['a', 'b', 'c', 'd']);
  const five = join(four, ['a', 'b', 'c', 'd'], 'e');
  t.deepEqual(counts(five, ['a', 'b', 'c', 'd', 'e']), [6, 6, 7, 7, 6]);
  t.deepEqual(
    moved(four, five).map(([, to]) => to),
    ['e', 'e', 'e', 'e', 'e', 'e'],
  );
  t.deepEqual(claim(4, ['a', 'b', 'c', 'd', 'e', 'f']).sort(), ['a', 'b', 'c', 'd']);
  t.deepEqual(claim(8, []), []);
});

/** A run of joins and leaves: each step a new node joining, or a member (by index) leaving. */
const steps = fc.array(fc.oneof(fc.constant<'join'>('join'), fc.nat(20)), { maxLength: 24 });

test("every join and leave keeps the claim balanced; a join takes ⌊R/N⌋ partitions, only from the others; a leave moves only the leaver's", (t) => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 10 }).map((b) => 2 ** b),
      fc.integer({ min: 1, max: 6 }),
      steps,
      (size, start, run) => {
        let members = Array.from({ length: start }, (_, i) => `n${i}`);
        let owners = claim(size, members);
        let next = start;
        if (!balanced(owners, members)) return false;
        for (const step of run) {
          if (step === 'join') {
            const node = `n${next++}`;
            const after = join(owners, members, node);
            const moves = moved(owners, after);
            if (moves.length !== Math.floor(size / (members.length + 1))) return false;
            if (moves.some(([from, to]) => to !== node || from === node)) return false;
            members = [...members, node];
            owners = after;
          } else {
            if (members.length === 1) continue;
            const node = members[step % members.length] as string;
            const after = leave(owners, members, node);
            if (moved(owners, after).some(([from, to]) => from !== node || to === node)) return false;
            members = members.filter((m) => m !== node);
            owners = after;
          }
          if (!balanced(owners, members)) return false;
        }
        return true;
      },
    ),
  );
  t.pass();
});

test("reclaim: the membership after the change, leaves first, then joins in order; a join at the end is claim's own step", (t) => {
  const three = claim(64, ['a', 'b', 'c']);
  t.deepEqual(reclaim(three, ['a', 'b', 'c'], ['a', 'b', 'c', 'd']), claim(64, ['a', 'b', 'c', 'd']));
  const swapped = reclaim(three, ['a', 'b', 'c'], ['a', 'c', 'd']);
  t.deepEqual(counts(swapped, ['a', 'c', 'd']), [21, 22, 21]);
  // b's 22 partitions went to a and c, then d took ⌊64/3⌋ = 21 from them: nothing moved between a and c for itself.
  const moves = moved(three, swapped);
  t.true(
    moves.every(([from, to]) => from === 'b' || to === 'd'),
    JSON.stringify(moves),
  );
  t.is(swapped.filter((o) => o === 'd').length, 21);
  t.deepEqual(reclaim(three, ['a', 'b', 'c'], ['a', 'b', 'c']), three);
  t.deepEqual(reclaim(three, ['a', 'b', 'c'], ['z']), new Array<string>(64).fill('z'));
});

test('slots: a join takes ⌊S/N⌋ slots in runs from the top of the richest; a leave hands its slots to the poorest; both stay balanced', (t) => {
  const halves = [
    { from: 0, to: 8191, node: 'foo' },
    { from: 8192, to: 16383, node: 'bar' },
  ];
  t.deepEqual(slotsJoin(halves, ['foo', 'bar'], 'baz'), [
    { from: 0, to: 5460, node: 'foo' },
    { from: 5461, to: 8191, node: 'baz' },
    { from: 8192, to: 13653, node: 'bar' },
    { from: 13654, to: 16383, node: 'baz' },
  ]);
  // baz's slots go back in order, each to the owner of fewer at that point: foo's run to foo, bar's to bar.
  t.deepEqual(slotsLeave(slotsJoin(halves, ['foo', 'bar'], 'baz'), ['foo', 'bar', 'baz'], 'baz'), [
    { from: 0, to: 8191, node: 'foo' },
    { from: 8192, to: 16383, node: 'bar' },
  ]);
  t.deepEqual(
    slotMembers([
      { from: 9, to: 9, node: 'b' },
      { from: 0, to: 1, node: 'a' },
    ]),
    ['a', 'b'],
  );
  const expand = (entries: readonly { from: number; to: number; node: string }[]): string[] => {
    const out = new Array<string>(16384).fill('');
    for (const e of entries) out.fill(e.node, e.from, e.to + 1);
    return out;
  };
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 5 }), steps, (start, run) => {
      let members = Array.from({ length: start }, (_, i) => `n${i}`);
      let entries = [{ from: 0, to: 16383, node: 'n0' }];
      for (let i = 1; i < start; i++) entries = slotsJoin(entries, members.slice(0, i), `n${i}`);
      let next = start;
      for (const step of run) {
        const before = expand(entries);
        if (step === 'join') {
          const node = `n${next++}`;
          entries = slotsJoin(entries, members, node);
          const moves = moved(before, expand(entries));
          if (moves.length !== Math.floor(16384 / (members.length + 1)) || moves.some(([from, to]) => to !== node || from === node)) return false;
          members = [...members, node];
        } else {
          if (members.length === 1) continue;
          const node = members[step % members.length] as string;
          entries = slotsLeave(entries, members, node);
          if (moved(before, expand(entries)).some(([from]) => from !== node)) return false;
          members = members.filter((m) => m !== node);
        }
        if (!balanced(expand(entries), members)) return false;
      }
      return true;
    }),
    { numRuns: 60 },
  );
  t.pass();
});
