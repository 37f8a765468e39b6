import { once } from 'node:events';
import test from 'ava';
import type { Cluster, KvConfig } from '../../src/index.js';
import { cluster, fixture, guideTable, holdNode, rejectsWith } from '../helpers.js';
import { countEvents, nextEvent, since } from './helpers.js';

/** Waits until `flag[0]` is set (at most 10 s). */
async function flagged(flag: Int32Array): Promise<void> {
  // Atomics.waitAsync is in Node 20 but not in the ES2023 lib.
  const { waitAsync } = Atomics as unknown as { waitAsync: (a: Int32Array, i: number, v: number, ms: number) => { async: boolean; value: unknown } };
  const wait = waitAsync(flag, 0, 0, 10_000);
  if (wait.async) await wait.value;
}

/** A synchronous busy loop of `ms` on this thread: no timer, no message, no I/O runs meanwhile. */
function busy(ms: number): void {
  for (const end = performance.now() + ms; performance.now() < end;);
}

const stuckConfig: KvConfig = { routingTable: guideTable, nodes: ['foo', 'bar'], modules: { Native: fixture('native.js') }, timeout: 30_000, heartbeatMs: 60_000 };

/** Gets foo stuck in a native call for `seconds` (it reports it first). */
async function stickFoo(c: Cluster, seconds: number): Promise<void> {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  void c.spawn('foo', 'Native', 'sleep', [flag.buffer, seconds]);
  await flagged(flag);
}

// A live peer stuck in a native call must not hold up another node's nodeup: its link waits 500 ms at most.
test.serial('while foo is stuck in a native call, killed bar’s nodeup comes within 1 s (not queued behind foo)', async (t) => {
  const c = await cluster(t, stuckConfig);
  await stickFoo(c, 3);
  const up = nextEvent(c, 'nodeup', 'bar');
  const start = performance.now();
  await c.kill('bar');
  await up;
  const upMs = Math.round(since(start));
  t.log(`bar up ${upMs} ms after c.kill('bar'), foo stuck`);
  t.true(upMs < 1000, `bar's nodeup came ${upMs} ms after its kill`);
  const viaBar = c.client({ via: 'bar' });
  await viaBar.create('zebra');
  t.is(await viaBar.get('zebra', 'k'), undefined);
});

test.serial('close() returns within 1.5 s while foo is stuck in a native call, and a warning names the abandoned thread', async (t) => {
  const c = await cluster(t, stuckConfig);
  await stickFoo(c, 2);
  // bar is served while foo is stuck.
  const viaBar = c.client({ via: 'bar' });
  await viaBar.create('zebra');
  await viaBar.put('zebra', 'k', 'v');
  t.is(await viaBar.get('zebra', 'k'), 'v');
  // Listened to from here only: a thread abandoned by the previous test's close is warned about once that close is done.
  const warnings: (Error & { code?: string })[] = [];
  const onWarning = (w: Error): void => void warnings.push(w);
  process.on('warning', onWarning);
  t.teardown(() => process.off('warning', onWarning));
  const warned = once(process, 'warning', { signal: AbortSignal.timeout(5000) });
  const closing = performance.now();
  await c.close();
  const closeMs = Math.round(since(closing));
  t.log(`close() took ${closeMs} ms`);
  t.true(closeMs < 1500, `close() took ${closeMs} ms`);
  await warned;
  const abandoned = warnings.filter((w) => w.code === 'KV_WARN_THREAD_ABANDONED').map((w) => w.message);
  t.deepEqual(abandoned, ['the thread of node "foo" did not stop within 900 ms (stuck in a native call?) and was abandoned']);
  await rejectsWith(t, viaBar.get('zebra', 'k'), 'KV_ERR_CLOSED', 'the cluster is closed');
});

test.serial('heartbeatMs 300 with the main thread busy 700 ms at a time: no node is declared down, no data lost', async (t) => {
  const c = await cluster(t, { routingTable: guideTable, nodes: ['foo', 'bar'], timeout: 30_000, heartbeatMs: 300 });
  const events = countEvents(c);
  const kv = c.client();
  await kv.create('apple');
  await kv.create('zebra');
  for (let round = 0; round < 3; round++) {
    await Promise.all([kv.put('apple', `k${round}`, `a${round}`), kv.put('zebra', `k${round}`, `z${round}`)]);
    // Requests in flight while the main thread is busy: their replies wait, the nodes do not.
    const inFlight = Promise.all([kv.get('apple', `k${round}`), kv.get('zebra', `k${round}`)]);
    busy(700);
    t.deepEqual(await inFlight, [`a${round}`, `z${round}`]);
  }
  for (let round = 0; round < 3; round++) t.deepEqual(await Promise.all([kv.get('apple', `k${round}`), kv.get('zebra', `k${round}`)]), [`a${round}`, `z${round}`]);
  t.deepEqual(events, { down: [], up: [] });
  t.deepEqual(c.status(), [
    { node: 'foo', state: 'up', restarts: 0, processes: 0 },
    { node: 'bar', state: 'up', restarts: 0, processes: 0 },
  ]);
});

test.serial('heartbeatMs 300: a node that really blocks is declared down within 1 s, and comes back', async (t) => {
  const config: KvConfig = { routingTable: guideTable, nodes: ['foo', 'bar'], modules: { Stall: fixture('stall.js') }, timeout: 30_000, heartbeatMs: 300 };
  const c = await cluster(t, config);
  const down = nextEvent(c, 'nodedown', 'bar');
  const up = nextEvent(c, 'nodeup', 'bar');
  const start = performance.now();
  const { held } = await holdNode(t, c, 'bar');
  const { reason, restarting } = await down;
  const downMs = Math.round(since(start));
  t.log(`bar declared down ${downMs} ms after it was told to block`);
  t.true(downMs < 1000, `declared down after ${downMs} ms`);
  t.is(reason.code, 'KV_ERR_NODE_DOWN');
  t.regex(reason.message, /^node "bar" is down: its thread made no progress for \d+ ms \(blocked\), so it was terminated$/);
  t.true(restarting);
  await rejectsWith(t, held, 'KV_ERR_NODE_DOWN', 'node "bar" is down');
  await up;
  await c.client().create('zebra');
  t.is(await c.client({ via: 'bar' }).route('zebra', 'Kernel', 'node', []), 'bar');
});
