/** The cluster under simulation: the same node code, supervisor and facade, in one thread on virtual time. */
import test from 'ava';
import { checkDeterminism, simulate } from '../../src/testing.js';
import type { Simulation } from '../../src/testing.js';
import type { KvConfig, KvError } from '../../src/index.js';
import { fixture, guideTable } from '../helpers.js';

const guide: KvConfig = { routingTable: guideTable, nodes: ['foo', 'bar'], timeout: 300, modules: { Hello: fixture('hello.js') } };

async function sim(t: import('ava').ExecutionContext, seed = 42, config: KvConfig = guide): Promise<Simulation> {
  const s = await simulate({ config, seed });
  t.teardown(() => s.close());
  return s;
}

test("a simulated cluster serves the guide's API, and resolves in virtual time", async (t) => {
  const s = await sim(t);
  const kv = s.client({ via: 'foo' });
  await kv.create('zebra');
  await kv.put('zebra', 'milk', '1');
  t.is(await kv.get('zebra', 'milk'), '1');
  t.is(await s.client({ via: 'bar' }).route('apple', 'Kernel', 'node', []), 'foo');
  t.is(await s.call('bar', 'Hello', 'world', []), 'hello from bar');
  t.is(await s.async('foo', 'Kernel', 'node', []).await(1000), 'foo');
  t.deepEqual(
    s.status().map((x) => x.state),
    ['up', 'up'],
  );
  t.true(s.now() > 0 && s.now() < 1, `a few simulated hops take well under a virtual ms (${s.now()})`);
  t.true(s.trace().some((e) => e.kind === 'deliver'));
});

test('a partition makes a request time out at its deadline in virtual time, naming the owner; heal restores it', async (t) => {
  const s = await sim(t);
  const kv = s.client({ via: 'foo' });
  await kv.create('zebra');
  await s.faults.partition(['foo'], ['bar']);
  const start = s.now();
  const error = await t.throwsAsync<KvError>(kv.get('zebra', 'k'));
  t.is(error.code, 'KV_ERR_TIMEOUT');
  t.is(error.message, 'no reply to get of bucket "zebra" from node "bar" (entered at node "foo") within 300 ms');
  const waited = s.now() - start;
  t.is(waited, 300, 'timed out exactly at its deadline, in virtual ms');
  t.true(s.trace().some((e) => e.kind === 'drop' && e.from === 'foo' && e.to === 'bar'));
  await s.faults.heal();
  t.is(await kv.get('zebra', 'k'), undefined);
});

test('a killed node is restarted in virtual time: nodedown, nodeup, its buckets gone, the others kept', async (t) => {
  const s = await sim(t);
  const kv = s.client();
  await kv.create('apple');
  await kv.create('zebra');
  await kv.put('apple', 'k', 'kept');
  const events: string[] = [];
  s.on('nodedown', (e: { node: string }) => events.push(`down ${e.node}`));
  s.on('nodeup', (e: { node: string }) => events.push(`up ${e.node}`));
  await s.kill('bar');
  await s.sleep(10);
  t.deepEqual(events, ['down bar', 'up bar']);
  t.deepEqual(s.status()[1], { node: 'bar', state: 'up', restarts: 1, processes: 0, reason: 'node "bar" is down: killed by cluster.kill' });
  t.is(await kv.get('apple', 'k'), 'kept');
  await t.throwsAsync(kv.get('zebra', 'k'), { code: 'KV_ERR_NO_BUCKET' });
});

test('a node paused past its heartbeat is declared blocked at the exact virtual time the config fixes', async (t) => {
  const s = await sim(t, 1, { ...guide, heartbeatMs: 400 });
  const down = new Promise<{ reason: KvError }>((resolve) => s.once('nodedown', resolve));
  const start = s.now();
  await s.pause('bar');
  await s.sleep(1000);
  const { reason } = await down;
  t.is(reason.message, 'node "bar" is down: its thread made no progress for 300 ms (blocked), so it was terminated');
  const at = s.trace().find((e) => e.kind === 'kill' && e.from === 'bar')?.t;
  // Paused at a progress read: the supervisor reads every heartbeatMs / 8 = 50 ms and declares a
  // node blocked after heartbeatMs - 2 × 50 = 300 ms without progress, so within heartbeatMs.
  t.is(at, start + 300);
});

test('restart intensity in virtual time: a 4th death within 5000 ms of the first restart stays down; at 5000 ms the window has moved on', async (t) => {
  const deaths = async (lastAfterMs: number): Promise<{ restarting: boolean[]; ups: number[]; state: string }> => {
    const s = await sim(t, 1);
    const restarting: boolean[] = [];
    const ups: number[] = [];
    s.on('nodedown', (e) => restarting.push(e.restarting));
    s.on('nodeup', () => ups.push(s.now()));
    const first = s.now();
    for (const at of [0, 10, 20, lastAfterMs]) {
      await s.sleep(first + at - s.now());
      await s.kill('bar');
    }
    await s.sleep(10);
    return { restarting, ups: ups.map((u) => Math.round((u - first) * 100) / 100), state: s.status()[1]?.state ?? '' };
  };
  // The default intensity: at most 3 restarts within 5000 ms (OTP counts the restart about to happen).
  t.deepEqual(await deaths(4999), { restarting: [true, true, true, false], ups: [0.01, 10.01, 20.01], state: 'down' });
  t.deepEqual(await deaths(5000), { restarting: [true, true, true, true], ups: [0.01, 10.01, 20.01, 5000.01], state: 'up' });
});

test('the same seed and test give the same trace; another seed another', async (t) => {
  const scenario = async (s: Simulation): Promise<void> => {
    await s.faults.link('foo', 'bar', { delayMs: 2, jitterMs: 3, drop: 0.2, duplicate: 0.1 });
    const kv = s.client({ via: 'foo' });
    await kv.create('zebra').catch(() => undefined);
    await Promise.allSettled(Array.from({ length: 50 }, (_, i) => kv.put('zebra', `k${i}`, `v${i}`)));
    await s.sleep(50);
  };
  const a = await checkDeterminism({ config: guide, seed: 7 }, scenario);
  const b = await checkDeterminism({ config: guide, seed: 8 }, scenario);
  t.regex(a, /^[0-9a-f]{64}$/);
  t.not(a, b);
});
