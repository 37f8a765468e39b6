import test from 'ava';
import { EventQueue } from '../../src/sim/queue.js';
import { Random } from '../../src/sim/random.js';

interface Item {
  t: number;
  seq: number;
  name: string;
}

const item = (t: number, name: string): Item => ({ t, seq: 0, name });

function drain(q: EventQueue<Item>): string[] {
  const out: string[] = [];
  for (let e = q.pop(); e !== undefined; e = q.pop()) out.push(e.name);
  return out;
}

test('items come out by time, and in insertion order at equal times', (t) => {
  const q = new EventQueue<Item>();
  for (const [time, name] of [
    [5, 'e'],
    [1, 'a'],
    [3, 'c1'],
    [3, 'c2'],
    [0, 'z'],
    [3, 'c3'],
  ] as const)
    q.push(item(time, name));
  t.is(q.size, 6);
  t.is(q.peek()?.name, 'z');
  t.deepEqual(drain(q), ['z', 'a', 'c1', 'c2', 'c3', 'e']);
  t.is(q.pop(), undefined);
  t.is(q.size, 0);
});

test('interleaved pushes and pops match a sorted model', (t) => {
  const r = new Random(1);
  const q = new EventQueue<Item>();
  const model: Item[] = [];
  let n = 0;
  for (let step = 0; step < 5_000; step++) {
    if (r.chance(0.6) || model.length === 0) {
      const e = item(r.int(50), `i${n++}`);
      q.push(e);
      model.push(e);
    } else {
      model.sort((x, y) => x.t - y.t || x.seq - y.seq);
      const want = model.shift();
      t.is(q.pop(), want);
    }
  }
  model.sort((x, y) => x.t - y.t || x.seq - y.seq);
  t.deepEqual(
    drain(q),
    model.map((e) => e.name),
  );
});

test('remove takes the matching items out in (time, seq) order and leaves a valid heap', (t) => {
  const q = new EventQueue<Item>();
  const r = new Random(2);
  for (let i = 0; i < 200; i++) q.push(item(r.int(20), `${i % 3 === 0 ? 'x' : 'y'}${i}`));
  const removed = q.remove((e) => e.name.startsWith('x'));
  t.is(removed.length, 67);
  for (let i = 1; i < removed.length; i++) {
    const a = removed[i - 1] as Item;
    const b = removed[i] as Item;
    t.true(a.t < b.t || (a.t === b.t && a.seq < b.seq));
  }
  const rest = q
    .items()
    .slice()
    .sort((a, b) => a.t - b.t || a.seq - b.seq)
    .map((e) => e.name);
  t.deepEqual(drain(q), rest);
  t.true(rest.every((name) => name.startsWith('y')));
  t.deepEqual(
    q.remove(() => true),
    [],
  );
});
