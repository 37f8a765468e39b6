import test from 'ava';
import { KvError } from '../../src/protocol/errors.js';
import { MAX_IN_FLIGHT, PendingTable, SEQ_WRAP } from '../../src/transport/pending.js';

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

test('past its limit of requests in flight, add refuses with KV_ERR_OVERLOADED, and takes new ones once some settle', (t) => {
  const table = new PendingTable<string>(1, 3);
  const ids = ['a', 'b', 'c'].map((v) => table.add(v));
  const error = t.throws<KvError>(() => table.add('d'));
  t.is(error.code, 'KV_ERR_OVERLOADED');
  t.is(error.message, 'more than 3 requests in flight from this thread: wait for some to settle');
  t.true(table.delete(ids[1] as number));
  t.is(table.get(table.add('d')), 'd');
  t.is(MAX_IN_FLIGHT, 4_194_304, 'the limit the README documents');
});
