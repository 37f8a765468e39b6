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

test('a simulated cluster serves the guide\'s API, and resolves in virtual time', async (t) => {
  const s = await sim(t);
  const kv = s.client({ via: 'foo' });
  await kv.create('zebra');
  await kv.put('zebra', 'milk', '1');
  t.is(await kv.get('zebra', 'milk'), '1');
  t.is(await s.client({ via: 'bar' }).route('apple', 'Kernel', 'node', []), 'foo');
  t.is(await s.call('bar', 'Hello', 'world', []), 'hello from bar');
  t.is(await s.async('foo', 'Kernel', 'node', []).await(1000), 'foo');
  t.deepEqual(s.status().map((x) => x.state), ['up', 'up']);
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
  t.deepEqual(s.status()[1], { node: 'bar', state: 'up', restarts: 1, reason: 'node "bar" is down: killed by cluster.kill' });
  t.is(await kv.get('apple', 'k'), 'kept');
  await t.throwsAsync(kv.get('zebra', 'k'), { code: 'KV_ERR_NO_BUCKET' });
});

test('a node paused past its heartbeat is declared blocked at a virtual time the config fixes', async (t) => {
  const s = await sim(t, 1, { ...guide, heartbeatMs: 400 });
  const down = new Promise<{ reason: KvError }>((resolve) => s.once('nodedown', resolve));
  const start = s.now();
  await s.pause('bar');
  await s.sleep(1000);
  const { reason } = await down;
  t.regex(reason.message, /^node "bar" is down: its thread made no progress for \d+ ms \(blocked\), so it was terminated$/);
  const at = s.trace().find((e) => e.kind === 'kill' && e.from === 'bar')?.t ?? Infinity;
  t.true(at - start <= 400, `declared blocked ${at - start} virtual ms after the pause (heartbeatMs 400)`);
  t.true(at - start >= 300, 'not before its counter stood still for 400 - 2 × 50 ms');
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
