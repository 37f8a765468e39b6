import test from 'ava';
import { ForwardLog } from '../../src/transport/forwards.js';

test('a link lost gives back every request forwarded on it and not yet past its deadline, with batch ops', (t) => {
  const log = new ForwardLog();
  log.record(1, 5, 100, undefined, 0, 50);
  log.record(1, 6, 101, '\u0000\u0002', 10, 60);
  log.record(2, 5, 102, undefined, 10, 60);
  t.is(log.size, 3);
  t.deepEqual(log.take(1, 20), [
    { from: 5, id: 100, idx: undefined },
    { from: 6, id: 101, idx: '\u0000\u0002' },
  ]);
  // Taken once: the link's records are forgotten; other links keep theirs.
  t.deepEqual(log.take(1, 20), []);
  t.is(log.size, 1);
  t.deepEqual(log.take(2, 61), [], 'past its deadline: nobody waits on it any more');
});

test('records expire in whole chunks as new ones arrive, so memory follows the deadline', (t) => {
  const log = new ForwardLog();
  for (let i = 0; i < 10_000; i++) log.record(0, 9, i, undefined, i, i + 1000);
  t.true(log.size <= 1000 + 2048, `kept ${log.size}`);
  const kept = log.take(0, 9_999).map((f) => f.id);
  t.true(kept.includes(9_999) && kept.includes(9_000), 'everything still within its deadline is kept');
});
