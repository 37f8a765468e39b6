import test from 'ava';
import { PendingTable, SEQ_WRAP } from '../../src/transport/pending.js';

test('ids stay exact integers and keep matching across the sequence wrap', (t) => {
  const table = new PendingTable<string>(SEQ_WRAP - 2);
  const seen = new Set<number>();
  for (let i = 0; i < 6; i++) {
    const id = table.add(`v${i}`);
    t.true(Number.isSafeInteger(id), `id ${id}`);
    t.false(seen.has(id));
    seen.add(id);
    t.is(table.get(id), `v${i}`);
    t.true(table.delete(id));
    t.is(table.get(id), undefined, 'a late reply to a settled request matches nothing');
  }
  t.is(table.size, 0);
});
