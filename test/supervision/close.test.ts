import { execFile } from 'node:child_process';
import test from 'ava';
import { cluster, fixture, guideTable, rejectsWith } from '../helpers.js';
import { modules } from './helpers.js';

test('destroy under load: every request completes or rejects with KV_ERR_CLOSED at once, later ones too', async (t) => {
  const c = await cluster(t, { routingTable: guideTable, nodes: { foo: {}, bar: {} }, modules });
  const kv = c.client({ via: 'bar' });
  await kv.create('apple');
  await kv.create('nut');
  const inFlight: Promise<unknown>[] = [];
  for (let i = 0; i < 1000; i++) inFlight.push(kv.put('apple', `k${i}`, 'v'), kv.get('nut', 'k'), c.call('foo', 'Hello', 'slow', [60_000]));
  const task = c.async('bar', 'Hello', 'slow', [60_000]);
  const settled = Promise.allSettled(inFlight);
  const events: string[] = [];
  c.on('nodedown', (e) => events.push(e.node));
  await Promise.all([c.destroy(), c.destroy(), c.close()]);
  const outcomes = await settled;
  const codes = new Set(outcomes.map((o) => (o.status === 'fulfilled' ? 'ok' : (o.reason as { code: string }).code)));
  t.true(
    [...codes].every((code) => code === 'ok' || code === 'KV_ERR_CLOSED'),
    [...codes].join(', '),
  );
  t.true(codes.has('KV_ERR_CLOSED'));
  await rejectsWith(t, task.await(), 'KV_ERR_CLOSED', 'the cluster is closed');
  await rejectsWith(t, kv.get('apple', 'k0'), 'KV_ERR_CLOSED', 'the cluster is closed');
  await rejectsWith(t, c.call('foo', 'Kernel', 'node'), 'KV_ERR_CLOSED', 'the cluster is closed');
  await rejectsWith(t, c.kill('foo'), 'KV_ERR_CLOSED', 'the cluster is closed');
  t.throws(() => c.async('foo', 'Kernel', 'node'), { message: 'the cluster is closed' });
  t.deepEqual(events, [], 'a close is no crash');
  t.deepEqual(
    c.status().map((s) => [s.state, s.reason]),
    [
      ['down', 'the cluster is closed'],
      ['down', 'the cluster is closed'],
    ],
  );
});

test('close drains: calls in flight complete (within drainMs), new ones are refused at once, then every thread ends', async (t) => {
  const c = await cluster(t, { routingTable: guideTable, nodes: { foo: {}, bar: {} }, modules });
  const kv = c.client({ via: 'bar' });
  await kv.create('apple');
  const puts = Array.from({ length: 1000 }, (_, i) => kv.put('apple', `k${i}`, 'v'));
  const slow = c.call('foo', 'Hello', 'slow', [200]);
  const task = c.async('bar', 'Hello', 'slow', [100]);
  t.throws(() => c.close({ drainMs: 0.5 }), { instanceOf: TypeError, message: 'close: drainMs must be a whole number of ms from 0 to 2147483647, received 0.5' });
  const closed = c.close({ drainMs: 10_000 });
  await rejectsWith(t, kv.get('apple', 'k0'), 'KV_ERR_CLOSED', 'the cluster is closed');
  t.throws(() => c.async('foo', 'Kernel', 'node'), { code: 'KV_ERR_CLOSED', message: 'the cluster is closed' });
  t.deepEqual(
    (await Promise.allSettled(puts)).filter((o) => o.status === 'rejected'),
    [],
    'every put in flight was answered',
  );
  t.is(await slow, 'slept 200');
  t.is(await task.await(), 'slept 100');
  await closed;
  t.deepEqual(
    c.status().map((s) => s.state),
    ['down', 'down'],
  );
  t.is(c.close(), closed, 'idempotent');
});

test('destroy during a close finishes it at once: what was still in flight fails with KV_ERR_CLOSED', async (t) => {
  const c = await cluster(t, { routingTable: guideTable, nodes: { foo: {}, bar: {} }, modules, timeout: 30_000 });
  const slow = c.call('foo', 'Hello', 'slow', [20_000]);
  const closed = c.close({ drainMs: 30_000 });
  const start = performance.now();
  await c.destroy();
  await closed;
  await rejectsWith(t, slow, 'KV_ERR_CLOSED', 'the cluster is closed');
  t.true(performance.now() - start < 5000, 'not waiting for the 20 s call');
});

test('closing during a restart, under load, with a blocked node: nothing printed, nothing left, the process exits on its own', async (t) => {
  // The 30 s timeout kills a child that does not exit on its own: code then is not 0.
  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = execFile(process.execPath, [fixture('close-scenarios.js')], { timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stdout, stderr });
    });
    child.stdin?.end();
  });
  t.is(stderr, '');
  t.is(stdout, '');
  t.is(code, 0);
});
