import test from 'ava';
import type { ExecutionContext } from 'ava';
import { connectClient } from '../../src/index.js';
import type { Cluster, KvConfig, KvError } from '../../src/index.js';
import { cluster, fixture, guideTable, holdNode, rejectsWith } from '../helpers.js';
import { client } from '../server/client.js';
import { nextEvent, since } from './helpers.js';
import { outcomeOf, remoteClient, tally } from './remote.js';

// A 30 s request timeout and a 60 s heartbeat: a NODE_DOWN that comes is no timeout and no heartbeat.
const base = { timeout: 30_000, heartbeatMs: 60_000, modules: { Stall: fixture('stall.js'), Hello: fixture('hello.js') } };
const twoNodes: KvConfig = { ...base, routingTable: guideTable, nodes: ['foo', 'bar'] };
// foo → bar → baz for a-z; digits are bar's own, so a probe sent after a burst shows bar has handled it.
const chain: KvConfig = {
  ...base,
  nodes: {
    foo: {
      routingTable: [
        { range: '0-9', node: 'bar' },
        { range: 'a-z', node: 'bar' },
      ],
    },
    bar: {
      routingTable: [
        { range: '0-9', node: 'bar' },
        { range: 'a-z', node: 'baz' },
      ],
    },
    baz: { routingTable: [{ range: 'a-z', node: 'baz' }] },
  },
};
const DOWN = (node: string): string => `KV_ERR_NODE_DOWN: node "${node}" is down`;

/** Kills `node`; resolves with what `settled` resolves with, asserting (and logging) that it came within 1 s of the kill. */
async function killAndTime<T>(t: ExecutionContext, c: Cluster, node: string, settled: () => Promise<T>): Promise<T> {
  const start = performance.now();
  const killed = c.kill(node);
  const value = await settled();
  const ms = Math.round(since(start));
  await killed;
  t.log(`settled ${ms} ms after c.kill('${node}')`);
  t.true(ms < 1000, `settled ${ms} ms after the kill`);
  return value;
}

test.serial('1,500 gets of a client thread, entered at foo and forwarded to the blocked bar, are NODE_DOWN within 1 s of its kill', async (t) => {
  const c = await cluster(t, twoNodes);
  await c.client().create('zebra');
  const remote = await remoteClient(t, c, 'foo');
  await holdNode(t, c, 'bar');
  const gets = remote.run({ op: 'get', bucket: 'zebra', key: 'k', n: 1500, probe: 'apple' });
  t.deepEqual(await gets.sent, { ok: true, value: 'foo' }, 'foo has forwarded all 1,500');
  const outcomes = await killAndTime(t, c, 'bar', () => gets.done);
  t.deepEqual(tally(outcomes), { [DOWN('bar')]: 1500 });
  t.deepEqual(await remote.run({ op: 'create', bucket: 'apple', n: 1 }).done, [{ ok: true, value: null }]);
});

test.serial('chain foo → bar → baz with baz blocked: killing the middle forwarder settles 500 + 500 requests with NODE_DOWN naming it', async (t) => {
  const c = await cluster(t, chain);
  const kv = c.client({ via: 'foo' });
  await kv.create('apple');
  const remote = await remoteClient(t, c, 'foo');
  const baz = await holdNode(t, c, 'baz');
  const local = Array.from({ length: 500 }, (_, i) => outcomeOf(kv.get('apple', `k${i}`)));
  t.is(await kv.route('0', 'Kernel', 'node', []), 'bar', 'bar has forwarded the 500 to baz');
  const gets = remote.run({ op: 'get', bucket: 'apple', key: 'k', n: 500, probe: '0' });
  t.deepEqual(await gets.sent, { ok: true, value: 'bar' });
  const up = nextEvent(c, 'nodeup', 'bar');
  const [mine, theirs] = await killAndTime(t, c, 'bar', () => Promise.all([Promise.all(local), gets.done]));
  t.deepEqual(tally(mine), { [DOWN('bar')]: 500 });
  t.deepEqual(tally(theirs), { [DOWN('bar')]: 500 });
  baz.release();
  await up;
  await kv.put('apple', 'k', 'after');
  t.deepEqual(await remote.run({ op: 'get', bucket: 'apple', key: 'k', n: 1 }).done, [{ ok: true, value: 'after' }]);
});

test.serial('a client thread attached before a restart is served by the restarted node, as owner and as entry, without re-attaching', async (t) => {
  const c = await cluster(t, twoNodes);
  const remote = await remoteClient(t, c, 'foo');
  const up = nextEvent(c, 'nodeup', 'bar');
  await c.kill('bar');
  await up;
  t.deepEqual(await remote.run({ op: 'create', bucket: 'zebra', n: 1 }).done, [{ ok: true, value: null }]);
  t.deepEqual(await remote.run({ op: 'put', bucket: 'zebra', key: 'k', value: 'v', n: 1 }).done, [{ ok: true, value: null }]);
  t.deepEqual(await remote.run({ op: 'get', bucket: 'zebra', key: 'k', n: 1, via: 'bar' }).done, [{ ok: true, value: 'v' }]);
  t.deepEqual(await remote.run({ op: 'create', bucket: 'apple', n: 1, via: 'bar' }).done, [{ ok: true, value: null }]);
  t.is(await c.call('foo', 'KV.Registry', 'lookup', ['apple']), 'foo');
});

test.serial('a client thread attached while a node is down gets null for it, and is linked to it when it comes up', async (t) => {
  const c = await cluster(t, twoNodes);
  const up = nextEvent(c, 'nodeup', 'bar');
  const killed = c.kill('bar');
  const attachment = await c.attachClient();
  t.is(attachment.ports[1], null, 'bar was down');
  t.not(attachment.ports[0], null);
  const remote = await remoteClient(t, c, 'bar', attachment);
  await killed;
  await up;
  t.deepEqual(await remote.run({ op: 'create', bucket: 'apple', n: 1, via: 'foo' }).done, [{ ok: true, value: null }]);
  t.deepEqual(await remote.run({ op: 'create', bucket: 'zebra', n: 1 }).done, [{ ok: true, value: null }]);
  t.deepEqual(await remote.run({ op: 'put', bucket: 'zebra', key: 'k', value: 'v', n: 1, via: 'foo' }).done, [{ ok: true, value: null }]);
  t.deepEqual(await remote.run({ op: 'get', bucket: 'zebra', key: 'k', n: 1 }).done, [{ ok: true, value: 'v' }]);
});

// The `link` notice for a restarted node may still wait on the client's supervisor channel when
// its first request goes out: the client reads its notices before it calls a node unreachable.
test.serial('a client built after nodeup from an attachment taken while the node was down reaches it at once', async (t) => {
  const c = await cluster(t, twoNodes);
  const up = nextEvent(c, 'nodeup', 'bar');
  const killed = c.kill('bar');
  const attachment = await c.attachClient();
  await killed;
  await up;
  const kv = connectClient(attachment, { via: 'bar' });
  t.teardown(() => kv.close());
  await kv.create('zebra');
  t.is(await c.call('bar', 'KV.Registry', 'lookup', ['zebra']), 'bar');
});

for (const race of [false, true]) {
  test.serial(`100 requests that passed bar are NODE_DOWN when it dies ${race ? 'while' : 'after'} a table swap takes bar off their path`, async (t) => {
    const c = await cluster(t, chain);
    const kv = c.client({ via: 'foo' });
    // Slow calls owned by baz: in flight there, while every node stays free to take the new tables.
    const slow = Array.from({ length: 100 }, (_, i) => outcomeOf(kv.route(`b${i}`, 'Hello', 'slow', [60_000])));
    t.is(await kv.route('zz', 'Kernel', 'node', []), 'baz', 'all 100 are at baz');
    const swap = c.setRoutingTable('foo', [{ range: 'a-z', node: 'baz' }]);
    if (!race) await swap;
    const outcomes = await killAndTime(t, c, 'bar', () => Promise.all(slow));
    t.deepEqual(tally(outcomes), { [DOWN('bar')]: 100 });
    await swap;
    t.deepEqual(c.routingTable('foo'), [{ from: 0x61, to: 0x7a, node: 'baz' }]);
    await kv.create('apple');
    t.is(await kv.route('apple', 'Kernel', 'node', []), 'baz', 'served straight by baz while bar restarts');
  });
}

test.serial('a batch over a live owner and a dead one: the live owner’s ops are applied, the dead one’s share one NODE_DOWN error', async (t) => {
  const c = await cluster(t, twoNodes);
  const kv = c.client({ via: 'foo' });
  await kv.create('apple');
  await kv.create('zebra');
  await holdNode(t, c, 'bar');
  const batch = kv.batch(Array.from({ length: 2000 }, (_, i) => ({ op: 'put' as const, bucket: i % 2 === 0 ? 'apple' : 'zebra', key: `k${i}`, value: `v${i}` })));
  t.is(await c.call('foo', 'Kernel', 'node'), 'foo', 'foo has run its part and forwarded the rest');
  const results = await killAndTime(t, c, 'bar', () => batch);
  const lost = results[1] as KvError;
  t.is(lost.code, 'KV_ERR_NODE_DOWN');
  t.is(lost.message, 'node "bar" is down');
  t.deepEqual(
    results,
    results.map((_, i) => (i % 2 === 0 ? undefined : lost)),
    'one error object for every lost op',
  );
  const back = await kv.batch(Array.from({ length: 1000 }, (_, j) => ({ op: 'get' as const, bucket: 'apple', key: `k${2 * j}` })));
  t.deepEqual(
    back,
    Array.from({ length: 1000 }, (_, j) => `v${2 * j}`),
  );
});

test.serial('240,000 ops in flight in maximum-size batches, half of them lost with bar, settle within 1 s of its kill', async (t) => {
  const c = await cluster(t, twoNodes);
  const kv = c.client({ via: 'foo' });
  await kv.create('apple');
  await kv.create('zebra');
  // One batch cannot hold 240,000 ops: the most is 65,535.
  const op = (i: number) => ({ op: 'put' as const, bucket: i % 2 === 0 ? 'apple' : 'zebra', key: `k${i}`, value: 'v' });
  await rejectsWith(t, kv.batch(Array.from({ length: 240_000 }, (_, i) => op(i))), 'KV_ERR_BAD_ARGUMENT', 'batch: at most 65535 ops per batch, received 240000; split it');
  await holdNode(t, c, 'bar');
  const sizes = [65_535, 65_535, 65_535, 43_395];
  const batches = sizes.map((n, b) => kv.batch(Array.from({ length: n }, (_, i) => op(b * 65_535 + i))));
  t.is(await c.call('foo', 'Kernel', 'node'), 'foo');
  const all = await killAndTime(t, c, 'bar', () => Promise.all(batches));
  t.deepEqual(
    all.map((r) => r.length),
    sizes,
  );
  const flat = all.flat();
  t.is(flat.filter((r) => r === undefined).length, 120_000);
  t.is(flat.filter((r) => (r as KvError | undefined)?.message === 'node "bar" is down').length, 120_000);
  t.is(await kv.get('apple', 'k0'), 'v');
});

test.serial('TCP: commands in flight at foo for the blocked-then-killed bar get ERROR lines in order, then the next command is served', async (t) => {
  const c = await cluster(t, { ...base, routingTable: guideTable, nodes: { foo: { port: 0 }, bar: {} } });
  const atFoo = await client(t, c.ports.get('foo') as number);
  t.is(await atFoo.request('CREATE apple\nPUT apple k v\nCREATE zebra\n', 3), 'OK\r\nOK\r\nOK\r\n');
  await holdNode(t, c, 'bar');
  const { forwarded } = await c.stats('foo');
  atFoo.send('GET zebra k1\nPUT zebra k2 v\nGET apple k\nDELETE zebra k3\n');
  // Nothing else tells that foo has forwarded them: its counter, read with a deadline.
  for (const until = performance.now() + 5000; (await c.stats('foo')).forwarded < forwarded + 3;) t.true(performance.now() < until, 'foo forwarded the 3 commands');
  t.is(atFoo.pending, '', 'the replies wait in order behind the first');
  const error = 'ERROR node "bar" is down\r\n';
  t.is(await killAndTime(t, c, 'bar', () => atFoo.read(5)), `${error}${error}v\r\nOK\r\n${error}`);
  t.is(await atFoo.request('GET apple k\n', 2), 'v\r\nOK\r\n');
});
