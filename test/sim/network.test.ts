import test from 'ava';
import { MessageChannel } from 'node:worker_threads';
import { Random } from '../../src/sim/random.js';
import { DEFAULT_LATENCY_MS, SimNetwork } from '../../src/sim/network.js';
import { SimWorld } from '../../src/sim/world.js';
import type { Frame } from '../../src/protocol/messages.js';
import type { Link } from '../../src/transport/link.js';

function setup(seed = 1): { world: SimWorld; net: SimNetwork } {
  const world = new SimWorld();
  return { world, net: new SimNetwork(world, new Random(seed).fork('network')) };
}

/** Records what an end receives, with the virtual time. */
function inbox(world: SimWorld, link: Link): { got: [number, Frame][] } {
  const box = { got: [] as [number, Frame][] };
  link.onFrame((f) => box.got.push([world.now(), f]));
  return box;
}

const clean = { delivered: 0, dropped: 0, duplicated: 0, delayed: 0 };

test('a frame arrives after exactly the default latency (1/64 ms), and a link is FIFO', async (t) => {
  const { world, net } = setup();
  const [a, b] = net.channel('a', 'b');
  const box = inbox(world, b);
  a.post('one');
  a.post('two');
  await world.sleep(1 / 128);
  b.post('back');
  const back = inbox(world, a);
  a.post('three');
  await world.sleep(1);
  t.is(DEFAULT_LATENCY_MS, 1 / 64);
  t.deepEqual(box.got, [
    [0.015625, 'one'],
    [0.015625, 'two'],
    [0.0234375, 'three'],
  ]);
  t.deepEqual(back.got, [[0.0234375, 'back']]);
  t.deepEqual(world.trace()[0], { t: 0.015625, kind: 'deliver', from: 'a', to: 'b', what: 'one' });
  t.deepEqual(net.stats(), { 'a->b': { ...clean, delivered: 3 }, 'b->a': { ...clean, delivered: 1 } });
});

test('delayMs sets one direction’s delay exactly; without jitter a slower frame is never overtaken', async (t) => {
  const { world, net } = setup();
  const [a, b] = net.channel('a', 'b');
  const box = inbox(world, b);
  const back = inbox(world, a);
  net.link('a', 'b', { delayMs: 5 });
  a.post('slow');
  b.post('reply');
  net.link('a', 'b', { delayMs: 1 });
  a.post('fast');
  await world.sleep(10);
  t.deepEqual(box.got, [
    [5, 'slow'],
    [5, 'fast'],
  ]);
  t.deepEqual(back.got, [[0.015625, 'reply']], 'b → a kept the default');
  t.deepEqual(net.settings('a', 'b'), { delayMs: 1, jitterMs: 0, drop: 0, duplicate: 0 });
  t.deepEqual(net.stats()['a->b'], { ...clean, delivered: 2, delayed: 2 });
  t.deepEqual(
    world.trace().filter((e) => e.kind === 'fault'),
    [
      { t: 0, kind: 'fault', from: 'a', to: 'b', what: 'delayMs=5' },
      { t: 0, kind: 'fault', from: 'a', to: 'b', what: 'delayMs=1' },
    ],
  );
});

test('jitter draws an independent delay in [delayMs, delayMs + jitterMs) per frame, so frames overtake each other', async (t) => {
  const { world, net } = setup(4);
  const [a, b] = net.channel('a', 'b');
  const box = inbox(world, b);
  net.link('a', 'b', { delayMs: 2, jitterMs: 3 });
  for (let i = 0; i < 50; i++) a.post(`${i}`);
  await world.sleep(10);
  t.is(box.got.length, 50);
  t.true(box.got.every(([at]) => at >= 2 && at < 5));
  const order = box.got.map(([, f]) => Number(f));
  t.notDeepEqual(
    order,
    [...order].sort((x, y) => x - y),
    'some frame overtook another',
  );
});

test('drop 1 loses every frame and duplicate 1 delivers each twice, the copy one more delay later', async (t) => {
  const { world, net } = setup();
  const [a, b] = net.channel('a', 'b');
  const box = inbox(world, b);
  const back = inbox(world, a);
  net.link('a', 'b', { drop: 1 });
  net.link('b', 'a', { duplicate: 1, delayMs: 2 });
  a.post('lost');
  b.post('twice');
  await world.sleep(10);
  t.deepEqual(box.got, []);
  t.deepEqual(back.got, [
    [2, 'twice'],
    [4, 'twice'],
  ]);
  t.deepEqual(net.stats(), { 'a->b': { ...clean, dropped: 1 }, 'b->a': { delivered: 2, dropped: 0, duplicated: 1, delayed: 1 } });
  t.deepEqual(
    world.trace().filter((e) => e.kind !== 'fault'),
    [
      { t: 0, kind: 'drop', from: 'a', to: 'b', what: 'lost: lost' },
      { t: 0, kind: 'duplicate', from: 'b', to: 'a', what: 'twice' },
      { t: 2, kind: 'deliver', from: 'b', to: 'a', what: 'twice' },
      { t: 4, kind: 'deliver', from: 'b', to: 'a', what: 'twice' },
    ],
  );
});

test('a partition both ways cuts both directions between the groups, and only those', async (t) => {
  const { world, net } = setup();
  const [ab, ba] = net.channel('a', 'b');
  const [ac, ca] = net.channel('a', 'c');
  const [bc, cb] = net.channel('b', 'c');
  const boxes = [inbox(world, ba), inbox(world, ab), inbox(world, ca), inbox(world, ac), inbox(world, cb), inbox(world, bc)];
  net.partition(['a'], ['b', 'c']);
  for (const [link, f] of [
    [ab, 'a→b'],
    [ba, 'b→a'],
    [ac, 'a→c'],
    [ca, 'c→a'],
    [bc, 'b→c'],
    [cb, 'c→b'],
  ] as const)
    link.post(f);
  await world.sleep(1);
  t.deepEqual(
    boxes.map((box) => box.got.map(([, f]) => f)),
    [[], [], [], [], ['b→c'], ['c→b']],
  );
  t.deepEqual(world.trace()[0], { t: 0, kind: 'fault', from: 'network', to: 'network', what: 'partition a | b,c' });
  t.deepEqual(world.trace()[1], { t: 0, kind: 'drop', from: 'a', to: 'b', what: 'partition: a→b' });
  t.is(net.stats()['c->a']?.dropped, 1);
});

test('a one-way partition loses frames from group A to group B only', async (t) => {
  const { world, net } = setup();
  const [a, b] = net.channel('a', 'b');
  const toB = inbox(world, b);
  const toA = inbox(world, a);
  net.partition(['a'], ['b'], { oneWay: true });
  a.post('request');
  b.post('heartbeat');
  await world.sleep(1);
  t.deepEqual(toB.got, []);
  t.deepEqual(toA.got, [[0.015625, 'heartbeat']]);
  t.is(world.trace()[0]?.what, 'partition a → b');
});

test('heal ends every partition and keeps the link settings', async (t) => {
  const { world, net } = setup();
  const [a, b] = net.channel('a', 'b');
  const box = inbox(world, b);
  net.link('a', 'b', { delayMs: 5 });
  net.partition(['a'], ['b']);
  a.post('cut');
  net.heal();
  a.post('healed');
  await world.sleep(10);
  t.deepEqual(box.got, [[5, 'healed']]);
  t.deepEqual(net.settings('a', 'b'), { delayMs: 5, jitterMs: 0, drop: 0, duplicate: 0 });
});

test('clear gives a perfect network: no partition, every link back to the defaults', async (t) => {
  const { world, net } = setup();
  const [a, b] = net.channel('a', 'b');
  const box = inbox(world, b);
  net.link('a', 'b', { delayMs: 5, jitterMs: 1, drop: 0.5, duplicate: 0.5 });
  net.partition(['b'], ['a']);
  net.clear();
  for (let i = 0; i < 20; i++) a.post(`${i}`);
  b.post('back');
  await world.sleep(1);
  t.deepEqual(net.settings('a', 'b'), { delayMs: DEFAULT_LATENCY_MS, jitterMs: 0, drop: 0, duplicate: 0 });
  t.deepEqual(
    box.got.map(([at, f]) => `${at} ${f as string}`),
    Array.from({ length: 20 }, (_, i) => `0.015625 ${i}`),
  );
  t.deepEqual(net.stats()['b->a'], { ...clean, delivered: 0 }, 'b→a delivered to no listener yet: it waits for one');
  t.is(
    world
      .trace()
      .filter((e) => e.kind === 'fault')
      .at(-1)?.what,
    'clear',
  );
});

test('bad fault arguments throw KV_ERR_BAD_ARGUMENT naming the field and value, change nothing, and the network still delivers', async (t) => {
  const { world, net } = setup();
  const [a, b] = net.channel('a', 'b');
  const box = inbox(world, b);
  const bad = 'KV_ERR_BAD_ARGUMENT';
  t.throws(() => net.link('a', 'b', { delayMs: -1 }), { code: bad, message: 'faults.link("a", "b"): delayMs must be a number of ms ≥ 0, received -1' });
  t.throws(() => net.link('a', 'b', { jitterMs: Number.NaN }), { code: bad, message: 'faults.link("a", "b"): jitterMs must be a number of ms ≥ 0, received NaN' });
  t.throws(() => net.link('a', 'b', { delayMs: 2, drop: 1.5 }), { code: bad, message: 'faults.link("a", "b"): drop must be a probability from 0 to 1, received 1.5' });
  t.throws(() => net.link('a', 'b', { duplicate: -0.1 }), { code: bad, message: 'faults.link("a", "b"): duplicate must be a probability from 0 to 1, received -0.1' });
  t.throws(() => net.link('a', 'b', { delay: 5 } as never), { code: bad, message: 'faults.link("a", "b"): unknown setting "delay" (settings: delayMs, jitterMs, drop, duplicate)' });
  t.throws(() => net.link('', 'b', {}), { code: bad, message: 'network.link: an owner must be a non-empty string, got ""' });
  t.throws(() => net.partition([], ['b']), { code: bad, message: 'faults.partition: the first group must be a non-empty array of node names, received []' });
  t.throws(() => net.partition(['a', 'b'], ['b']), { code: bad, message: 'faults.partition: node "b" is in both groups' });
  t.throws(() => net.channel('a', ''), { code: bad, message: 'network.channel: an owner must be a non-empty string, got ""' });
  t.throws(() => new SimNetwork(world, new Random(1), { latencyMs: -2 }), { code: bad, message: 'SimNetwork: latencyMs must be a finite number ≥ 0, got -2' });
  t.deepEqual(net.settings('a', 'b'), { delayMs: DEFAULT_LATENCY_MS, jitterMs: 0, drop: 0, duplicate: 0 }, 'a refused call changed nothing');
  t.deepEqual(world.trace(), [], 'and traced nothing');
  a.post('still served');
  await world.sleep(1);
  t.deepEqual(box.got, [[0.015625, 'still served']]);
});

test('the receiver gets a copy: no object is shared between owners, nor between the two deliveries of a duplicate', async (t) => {
  const { world, net } = setup();
  const [a, b] = net.channel('a', 'b');
  const got: Frame[] = [];
  b.onFrame((f) => got.push(f));
  net.link('a', 'b', { duplicate: 1 });
  const frame: Frame = [{ type: 'ok', id: 1, value: { list: [1, 2] } }, 'packed'];
  a.post(frame);
  (frame[0] as { value: { list: number[] } }).value.list.push(3); // after the post: the frame was cloned at post time
  await world.sleep(1);
  t.is(got.length, 2);
  t.deepEqual(got[0], [{ type: 'ok', id: 1, value: { list: [1, 2] } }, 'packed']);
  t.deepEqual(got[1], got[0]);
  t.not(got[0], frame);
  t.not(got[0]?.[0], got[1]?.[0]);
  t.is(world.trace().at(-1)?.what, 'ok#1 packed(6)');
});

test('a frame holding a function throws the DataCloneError a MessagePort throws, at post, and nothing is sent', async (t) => {
  const { world, net } = setup();
  const [a, b] = net.channel('a', 'b');
  const box = inbox(world, b);
  const frame = [{ type: 'ok', id: 1, value: () => 1 }] as unknown as Frame;
  // A DOMException is no Error on Node 20, so t.throws cannot catch it.
  const caught = (fn: () => void): unknown => {
    try {
      fn();
    } catch (e) {
      return e;
    }
    return undefined;
  };
  const port = new MessageChannel();
  const expected = caught(() => port.port1.postMessage(frame)) as DOMException;
  port.port1.close();
  const error = caught(() => a.post(frame)) as DOMException;
  t.is(expected.name, 'DataCloneError');
  t.is(error.name, expected.name);
  t.is(error.message, expected.message);
  t.is(error.constructor, expected.constructor);
  a.post('next');
  await world.sleep(1);
  t.deepEqual(box.got, [[0.015625, 'next']]);
  t.deepEqual(net.stats()['a->b'], { ...clean, delivered: 1 });
});

test('close: both ends hear it as an event, frames in flight are dropped, later posts are dropped silently, listeners run once', async (t) => {
  const { world, net } = setup();
  const [a, b] = net.channel('a', 'b');
  const box = inbox(world, b);
  const closed: string[] = [];
  a.onClose(() => closed.push(`a@${world.now()}`));
  b.onClose(() => closed.push(`b@${world.now()}`));
  net.link('a', 'b', { delayMs: 5 });
  a.post('in flight');
  await world.sleep(1);
  a.close();
  t.deepEqual(closed, [], 'close notices are events, not calls');
  a.close();
  b.close();
  a.post('after close');
  b.post('after close');
  await world.sleep(10);
  t.deepEqual(closed, ['a@1', 'b@1']);
  t.deepEqual(box.got, []);
  t.deepEqual(
    world.trace().filter((e) => e.kind !== 'fault'),
    [
      { t: 1, kind: 'close', from: 'a', to: 'a', what: '' },
      { t: 1, kind: 'close', from: 'a', to: 'b', what: '' },
      { t: 5, kind: 'drop', from: 'a', to: 'b', what: 'closed: in flight' },
    ],
  );
  t.deepEqual(net.stats()['a->b'], { ...clean, dropped: 1, delayed: 1 });
});

test('frames that arrive before any listener wait for one, as a MessagePort queues them until started', async (t) => {
  const { world, net } = setup();
  const [a, b] = net.channel('a', 'b');
  a.post('early');
  await world.sleep(5);
  const box = inbox(world, b);
  a.post('later');
  await world.sleep(1);
  t.deepEqual(box.got, [
    [5, 'early'],
    [5.015625, 'later'],
  ]);
});

test('dropping an owner drops frames in flight to it and closes its channels: only the other ends hear it', async (t) => {
  const { world, net } = setup();
  const [toN1, n1End] = net.channel('client', 'n1');
  const [n1Side, n2Side] = net.channel('n1', 'n2');
  const heard: string[] = [];
  toN1.onClose(() => heard.push('client'));
  n1End.onClose(() => heard.push('n1 (dead)'));
  n2Side.onClose(() => heard.push('n2'));
  n1End.onFrame(() => t.fail('the dead node got a frame'));
  n1Side.onFrame(() => t.fail('the dead node got a frame'));
  const fromN1 = inbox(world, n2Side);
  net.link('client', 'n1', { delayMs: 3 });
  net.link('n1', 'n2', { delayMs: 3 });
  net.link('n2', 'n1', { delayMs: 3 });
  toN1.post('request');
  n1Side.post('forward');
  n2Side.post('reply');
  await world.sleep(1);
  world.drop('n1');
  await world.sleep(5);
  t.deepEqual(heard, ['client', 'n2']);
  t.deepEqual(fromN1.got, [], 'a frame from the dead node in flight on a closed channel is dropped too');
  t.deepEqual(
    world.trace().filter((e) => e.kind !== 'fault'),
    [
      { t: 1, kind: 'kill', from: 'n1', to: 'n1', what: '2 pending events cancelled' },
      { t: 1, kind: 'drop', from: 'client', to: 'n1', what: 'killed: request' },
      { t: 1, kind: 'drop', from: 'n2', to: 'n1', what: 'killed: reply' },
      { t: 1, kind: 'close', from: 'n1', to: 'client', what: '' },
      { t: 1, kind: 'close', from: 'n1', to: 'n2', what: '' },
      { t: 3, kind: 'drop', from: 'n1', to: 'n2', what: 'closed: forward' },
    ],
  );
  const [fresh, reborn] = net.channel('client', 'n1');
  const box = inbox(world, reborn);
  fresh.post('hello again');
  await world.sleep(5);
  t.deepEqual(box.got, [[9, 'hello again']], 'link settings outlive the incarnation');
});

test('a paused owner’s deliveries are held with its timers and released in their original order', async (t) => {
  const { world, net } = setup();
  const [a, b] = net.channel('a', 'n1');
  const log: string[] = [];
  b.onFrame((f) => log.push(`${f as string}@${world.now()}`));
  const s = world.scheduler('n1');
  s.after(0.01, () => log.push(`timer@${world.now()}`));
  world.pause('n1');
  a.post('first');
  await world.sleep(0.5);
  a.post('second');
  await world.sleep(0.5);
  t.deepEqual(log, []);
  world.resume('n1');
  await world.sleep(0);
  t.deepEqual(log, ['timer@1', 'first@1', 'second@1']);
});
