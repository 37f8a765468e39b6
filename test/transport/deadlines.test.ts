import test from 'ava';
import { Deadlines } from '../../src/transport/deadlines.js';
import type { Timed } from '../../src/transport/deadlines.js';

const entry = (name: string, deadline: number, timeoutMs: number): Timed & { name: string } => ({ name, deadline, timeoutMs, prevT: undefined, nextT: undefined });

test('expired entries come out in deadline order per timeout value, and only those', (t) => {
  const d = new Deadlines<ReturnType<typeof entry>>();
  const [a, b, c, x] = [entry('a', 100, 100), entry('b', 150, 100), entry('c', 200, 100), entry('x', 120, 20)];
  for (const e of [a, b, x, c]) d.add(e);
  t.is(d.size, 4);
  t.deepEqual(
    d.takeExpired(99).map((e) => e.name),
    [],
  );
  t.deepEqual(
    d.takeExpired(150).map((e) => e.name),
    ['a', 'b', 'x'],
  );
  t.is(d.size, 1);
  t.deepEqual(
    d.takeExpired(1e9).map((e) => e.name),
    ['c'],
  );
  t.is(d.size, 0);
});

test('removing an entry from the head, middle or tail keeps the others in order', (t) => {
  const d = new Deadlines<ReturnType<typeof entry>>();
  const es = [1, 2, 3, 4, 5].map((i) => entry(`e${i}`, i, 10));
  for (const e of es) d.add(e);
  d.remove(es[2] as ReturnType<typeof entry>);
  d.remove(es[0] as ReturnType<typeof entry>);
  d.remove(es[4] as ReturnType<typeof entry>);
  t.is(d.size, 2);
  t.deepEqual(
    d.takeExpired(10).map((e) => e.name),
    ['e2', 'e4'],
  );
  // Emptied lists are used again.
  d.add(entry('again', 20, 10));
  t.deepEqual(
    d.takeExpired(20).map((e) => e.name),
    ['again'],
  );
});

test('a sweep over a million waiting entries touches only the expired ones', (t) => {
  const d = new Deadlines<ReturnType<typeof entry>>();
  for (let i = 0; i < 1_000_000; i++) d.add(entry('', i, 5000));
  const start = performance.now();
  for (let now = 0; now < 1000; now++) t.is(d.takeExpired(now).length, 1);
  t.log(`1000 sweeps with 1M waiting: ${(performance.now() - start).toFixed(1)} ms`);
  t.is(d.size, 999_000);
});

test('removing an entry twice, or one already taken as expired, leaves the others waiting', (t) => {
  const d = new Deadlines<ReturnType<typeof entry>>();
  const [a, b, c] = [entry('a', 1, 10), entry('b', 2, 10), entry('c', 3, 10)];
  for (const e of [a, b, c]) d.add(e);
  const [taken] = d.takeExpired(1);
  t.is(taken, a);
  d.remove(a);
  d.remove(b);
  d.remove(b);
  t.is(d.size, 1);
  t.deepEqual(
    d.takeExpired(10).map((e) => e.name),
    ['c'],
    'c is still in its list',
  );
});
