import test from 'ava';
import { cluster, guideTable, rejectsWith } from '../helpers.js';
import { countEvents, modules, nextEvent, since } from './helpers.js';

const twoNodes = { routingTable: guideTable, nodes: { foo: {}, bar: {} }, modules };

test('a user function that throws fails only its call, with the original message', async (t) => {
  const c = await cluster(t, twoNodes);
  const events = countEvents(c);
  await rejectsWith(t, c.call('bar', 'Hello', 'boom', ['kaboom']), 'KV_ERR_TASK_FAILED', 'Hello.boom/1 failed on node "bar": Error: kaboom');
  await rejectsWith(t, c.client().route('nut', 'Hello', 'boom', ['routed']), 'KV_ERR_TASK_FAILED', 'Hello.boom/1 failed on node "bar": Error: routed');
  t.is(await c.call('bar', 'Hello', 'add', [1, 2]), 3);
  t.deepEqual(
    c.status().map((s) => s.state),
    ['up', 'up'],
  );
  t.deepEqual(events, { down: [], up: [] });
});

test('process.exit in a user function ends only its node, which is restarted', async (t) => {
  const c = await cluster(t, twoNodes);
  const events = countEvents(c);
  const down = nextEvent(c, 'nodedown', 'bar');
  const up = nextEvent(c, 'nodeup', 'bar');
  await rejectsWith(t, c.call('bar', 'Crash', 'exit', [3]), 'KV_ERR_NODE_DOWN', 'node "bar" is down');
  t.is((await down).reason.message, 'node "bar" is down: its thread exited with code 3');
  t.is(await c.call('foo', 'Hello', 'add', [2, 2]), 4);
  await up;
  t.is(await c.call('bar', 'Hello', 'world'), 'hello from bar');
  // exit(0) is no clean stop either: the node was not asked to go.
  const up2 = nextEvent(c, 'nodeup', 'bar');
  await rejectsWith(t, c.call('bar', 'Crash', 'exit', [0]), 'KV_ERR_NODE_DOWN', 'node "bar" is down');
  t.deepEqual(await up2, { node: 'bar', restarts: 2 });
  t.deepEqual(events, { down: ['bar', 'bar'], up: ['bar', 'bar'] });
});

test('an uncaught error thrown later by a user module crashes its node, which is restarted', async (t) => {
  const c = await cluster(t, twoNodes);
  const down = nextEvent(c, 'nodedown', 'foo');
  const up = nextEvent(c, 'nodeup', 'foo');
  t.is(await c.call('foo', 'Crash', 'throwLater', ['late']), 'scheduled');
  t.is((await down).reason.message, 'node "foo" is down: its thread crashed: late');
  await up;
  t.is(await c.call('foo', 'Kernel', 'node'), 'foo');
});

test('a node over its memory limit dies with ERR_WORKER_OUT_OF_MEMORY and is restarted', async (t) => {
  // A thread thrashing near its heap limit can be slow to answer: keep the heartbeat out of this.
  const limits = { maxOldGenerationSizeMb: 24, maxYoungGenerationSizeMb: 4 };
  const c = await cluster(t, { routingTable: guideTable, nodes: { foo: {}, bar: { resourceLimits: limits } }, modules, heartbeatMs: 60_000 });
  await c.client().create('nut');
  const up = nextEvent(c, 'nodeup', 'bar');
  await rejectsWith(t, c.call('bar', 'Crash', 'hog'), 'KV_ERR_NODE_DOWN', 'node "bar" is down');
  await up;
  await rejectsWith(t, c.client().get('nut', 'k'), 'KV_ERR_NO_BUCKET', 'no bucket "nut" on node "bar" (create it first)');
  t.is(await c.call('bar', 'Hello', 'add', [1, 1]), 2);
  t.is(await c.call('foo', 'Hello', 'add', [1, 1]), 2);
});

test('a node whose thread is blocked misses its heartbeat, is terminated and restarted', async (t) => {
  const c = await cluster(t, { ...twoNodes, heartbeatMs: 1500 });
  const events = countEvents(c);
  const up = nextEvent(c, 'nodeup', 'bar');
  const start = performance.now();
  await rejectsWith(t, c.call('bar', 'Crash', 'spin'), 'KV_ERR_NODE_DOWN', 'node "bar" is down');
  const detected = since(start);
  // Detection is due within heartbeatMs; the bound is generous for a loaded 2-core machine.
  t.true(detected >= 600 && detected < 6000, `detected after ${detected} ms`);
  await up;
  t.is(await c.call('bar', 'Kernel', 'node'), 'bar');
  // The healthy node, pinged all along, never missed a beat.
  t.deepEqual(
    c.status().map((s) => [s.node, s.state, s.restarts]),
    [
      ['foo', 'up', 0],
      ['bar', 'up', 1],
    ],
  );
  // Missed heartbeat, then the thread's exit once terminated: one death, one event.
  t.deepEqual(events, { down: ['bar'], up: ['bar'] });
});

test('monitors fire once per event, with every listener called once', async (t) => {
  const c = await cluster(t, twoNodes);
  const a = countEvents(c);
  const b = countEvents(c);
  for (const node of ['foo', 'bar', 'foo']) {
    const up = nextEvent(c, 'nodeup', node);
    await c.kill(node);
    await up;
  }
  // A round trip through both nodes after the last restart: any late duplicate would have arrived.
  await c.client().route('nut', 'Kernel', 'node');
  await c.call('foo', 'Kernel', 'node');
  t.deepEqual(a, { down: ['foo', 'bar', 'foo'], up: ['foo', 'bar', 'foo'] });
  t.deepEqual(b, a);
  t.deepEqual(
    c.status().map((s) => s.restarts),
    [2, 1],
  );
});
