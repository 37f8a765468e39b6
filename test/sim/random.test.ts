import test from 'ava';
import { Random } from '../../src/sim/random.js';

function draws(r: Random, n: number): number[] {
  return Array.from({ length: n }, () => r.uint32());
}

test('the same seed gives the same sequence, pinned so a replay stays valid across versions', (t) => {
  t.deepEqual(draws(new Random(42), 4), [351966234, 3577416977, 1922937109, 802827646]);
  t.deepEqual(draws(new Random(42).fork('network'), 3), [1108559615, 448466171, 2796076211]);
  t.deepEqual(draws(new Random(7), 100), draws(new Random(7), 100));
});

test('nearby, negative and large seeds give different streams', (t) => {
  const seeds = [0, 1, 2, -1, 2 ** 32, 2 ** 32 + 1, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER];
  const heads = seeds.map((s) => draws(new Random(s), 2).join(','));
  t.is(new Set(heads).size, seeds.length);
});

test('forks: different labels give different streams, the same label the same stream, and the parent does not move', (t) => {
  const parent = new Random(5);
  const net = parent.fork('network');
  const load = parent.fork('workload');
  t.notDeepEqual(draws(net, 8), draws(load, 8));
  t.deepEqual(draws(parent.fork('network'), 8), draws(new Random(5).fork('network'), 8));
  t.deepEqual(draws(parent, 8), draws(new Random(5), 8), 'forking drew nothing from the parent');
  // A fork derives from the seed, not the running state: drawing from the parent first changes nothing.
  t.deepEqual(draws(parent.fork('faults'), 4), draws(new Random(5).fork('faults'), 4));
  t.notDeepEqual(draws(new Random(5).fork('a').fork('b'), 4), draws(new Random(5).fork('b').fork('a'), 4));
  t.notDeepEqual(draws(new Random(5).fork('x'), 4), draws(new Random(6).fork('x'), 4));
});

test('draws in one fork do not shift another', (t) => {
  const a = new Random(9);
  const b = new Random(9);
  const netA = a.fork('network');
  const loadA = a.fork('workload');
  const netB = b.fork('network');
  draws(loadA, 1000); // only run A's workload draws a lot
  t.deepEqual(draws(netA, 10), draws(netB, 10));
});

test('next is in [0, 1), int(n) in [0, n) and even, chance follows p', (t) => {
  const r = new Random(3);
  const counts = [0, 0, 0, 0, 0, 0];
  let outside = 0;
  for (let i = 0; i < 60_000; i++) {
    const x = r.next();
    if (!(x >= 0 && x < 1)) outside++;
    const k = r.int(6);
    counts[k] = (counts[k] ?? 0) + 1;
  }
  t.is(outside, 0);
  for (const c of counts) t.true(c > 9_500 && c < 10_500, `bucket count ${c} of 60000 draws`);
  t.is(r.int(1), 0);
  t.true(r.int(2 ** 32) < 2 ** 32);
  let hits = 0;
  for (let i = 0; i < 10_000; i++) if (r.chance(0.25)) hits++;
  t.true(hits > 2_300 && hits < 2_700, `${hits} hits of 10000 at p=0.25`);
  t.false(r.chance(0));
  t.true(r.chance(1));
});

test('chance draws exactly once whatever p is', (t) => {
  const a = new Random(11);
  const b = new Random(11);
  a.chance(0);
  a.chance(1);
  b.next();
  b.next();
  t.is(a.uint32(), b.uint32());
});

test('bad arguments throw KV_ERR_BAD_ARGUMENT naming the value, and the stream goes on', (t) => {
  t.throws(() => new Random(1.5), { code: 'KV_ERR_BAD_ARGUMENT', message: 'Random: seed must be a safe integer, got 1.5' });
  t.throws(() => new Random(Number.NaN), { code: 'KV_ERR_BAD_ARGUMENT', message: 'Random: seed must be a safe integer, got NaN' });
  t.throws(() => new Random(2 ** 53), { code: 'KV_ERR_BAD_ARGUMENT', message: 'Random: seed must be a safe integer, got 9007199254740992' });
  const r = new Random(1);
  const twin = new Random(1);
  t.throws(() => r.int(0), { code: 'KV_ERR_BAD_ARGUMENT', message: 'Random.int: n must be an integer in [1, 2^32], got 0' });
  t.throws(() => r.int(2.5), { code: 'KV_ERR_BAD_ARGUMENT', message: 'Random.int: n must be an integer in [1, 2^32], got 2.5' });
  t.throws(() => r.int(2 ** 32 + 1), { code: 'KV_ERR_BAD_ARGUMENT', message: 'Random.int: n must be an integer in [1, 2^32], got 4294967297' });
  t.throws(() => r.chance(1.5), { code: 'KV_ERR_BAD_ARGUMENT', message: 'Random.chance: p must be a probability in [0, 1], got 1.5' });
  t.throws(() => r.chance(Number.NaN), { code: 'KV_ERR_BAD_ARGUMENT', message: 'Random.chance: p must be a probability in [0, 1], got NaN' });
  t.is(r.uint32(), twin.uint32(), 'a refused call drew nothing');
});
