import test from 'ava';
import { Random } from '../../src/sim/random.js';
import { SimNetwork } from '../../src/sim/network.js';
import { SimWorld } from '../../src/sim/world.js';
import { firstDifference, traceLine } from '../../src/sim/trace.js';
import type { Link } from '../../src/transport/link.js';
import { runMesh } from './mesh.js';

/**
 * Four owners in a ring pass counters on, with jitter, drops and duplicates on every link, a
 * timer per owner that starts a new counter, and one owner paused for a while.
 */
async function pingPong(seed: number): Promise<SimWorld> {
  const root = new Random(seed);
  const world = new SimWorld();
  const net = new SimNetwork(world, root.fork('network'));
  const user = root.fork('user');
  const names = ['a', 'b', 'c', 'd'];
  const next: Link[] = [];
  const prev: Link[] = [];
  for (let i = 0; i < names.length; i++) {
    const from = names[i] as string;
    const to = names[(i + 1) % names.length] as string;
    const [out, into] = net.channel(from, to);
    next[i] = out;
    prev[(i + 1) % names.length] = into;
    net.link(from, to, { delayMs: 0.5, jitterMs: 1, drop: 0.05, duplicate: 0.05 });
  }
  names.forEach((name, i) => {
    (prev[i] as Link).onFrame((f) => {
      const hops = Number(f);
      if (hops < 20) (next[i] as Link).post(String(hops + 1 + user.int(2)));
    });
    world.scheduler(name).every(3 + i, () => (next[i] as Link).post('0'));
  });
  await world.sleep(40);
  world.pause('c');
  await world.sleep(15);
  world.resume('c');
  await world.sleep(45);
  return world;
}

test('the same seed gives the same trace, byte for byte; the next seed another', async (t) => {
  const one = await pingPong(1);
  const again = await pingPong(1);
  const other = await pingPong(2);
  const kinds = new Set(one.trace().map((e) => e.kind));
  for (const kind of ['deliver', 'drop', 'duplicate', 'timer', 'fault', 'pause', 'resume']) t.true(kinds.has(kind), `the run has ${kind} events`);
  t.true(one.trace().length > 500);
  t.is(one.traceHash(), again.traceHash());
  t.deepEqual(one.trace(), again.trace());
  t.is(firstDifference(one.trace(), again.trace()), undefined);
  t.not(one.traceHash(), other.traceHash());
  const diff = firstDifference(one.trace(), other.trace());
  t.truthy(diff);
  t.regex(diff?.message ?? '', /^event \d+ differs: t=/);
});

test('a routed workload with faults and deadlines replays exactly', async (t) => {
  const options = { seed: 9, nodes: 3, perMs: 1, durationMs: 2_000 };
  const one = await runMesh(options);
  const again = await runMesh(options);
  t.true(one.replies > 1_000);
  t.true(one.timeouts > 0, 'the faults cost some requests');
  t.is(one.replies + one.timeouts, one.sent);
  t.is(one.world.traceHash(), again.world.traceHash());
  t.deepEqual(one.net.stats(), again.net.stats());
  t.is(firstDifference(one.world.trace(), again.world.trace()), undefined);
});

test('firstDifference names the first differing event, or where one trace goes on', (t) => {
  const base = [
    { t: 0, kind: 'deliver', from: 'a', to: 'b', what: 'x' },
    { t: 1, kind: 'timer', from: 'a', to: 'a', what: 'after 1' },
  ];
  t.deepEqual(firstDifference(base, [base[0] as never, { ...base[1], t: 2 } as never]), {
    index: 1,
    message: 'event 1 differs: t=1 timer a → a "after 1" against t=2 timer a → a "after 1"',
  });
  t.deepEqual(firstDifference(base, base.slice(0, 1)), { index: 1, message: 'the traces agree for 1 events, then only the first goes on: t=1 timer a → a "after 1"' });
  t.deepEqual(firstDifference([], base), { index: 0, message: 'the traces agree for 0 events, then only the second goes on: t=0 deliver a → b "x"' });
  t.is(firstDifference(base, [...base]), undefined);
});

test('the canonical text escapes tabs, newlines and backslashes, so fields cannot run together', (t) => {
  t.is(traceLine({ t: 0.5, kind: 'note', from: 'a\tb', to: 'c\\', what: 'x\ny' }), '0.5\tnote\ta\\tb\tc\\\\\tx\\ny\n');
  const a = new SimWorld();
  const b = new SimWorld();
  a.note('k', 'x', 'y\tz', '');
  b.note('k', 'x\ty', 'z', '');
  t.not(a.traceHash(), b.traceHash());
});
