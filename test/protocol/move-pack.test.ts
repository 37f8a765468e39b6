/** Keys and values packed in one string for a move (src/protocol/move-pack.ts): any bytes round-trip, deletes included. */
import test from 'ava';
import fc from 'fast-check';
import { forEachEntry, packEntry } from '../../src/protocol/move-pack.js';

const bytes = fc.string({ unit: fc.integer({ min: 0, max: 255 }).map((n) => String.fromCharCode(n)) });

test('any keys and values (digits, colons, dashes, empty) come back in order, a deleted key as null', (t) => {
  fc.assert(
    fc.property(fc.array(fc.tuple(bytes, fc.option(bytes, { nil: null }))), (pairs) => {
      const packed = pairs.reduce((p, [k, v]) => packEntry(p, k, v), '');
      const out: [string, string | null][] = [];
      forEachEntry(packed, (k, v) => out.push([k, v]));
      return JSON.stringify(out) === JSON.stringify(pairs);
    }),
  );
  t.is(packEntry(packEntry('', '12:', '-3'), 'k', null), '3:12:2:-31:k-');
});
