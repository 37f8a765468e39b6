// What only worker threads have: CPU pools, and clients in other threads attached from ports. The
// rest of the API is the shared behaviour suite (test/harness), run here by behaviour-threads.test.ts.
import test from 'ava';
import { connectClient } from '../../src/index.js';
import { cluster, fixture, guideTable, rejectsWith } from '../helpers.js';
import { CLIENT } from '../../src/protocol/messages.js';
import { keySlot } from '../../src/core/slots.js';

const config = { routingTable: guideTable, nodes: { foo: {}, bar: {} }, modules: { Hello: fixture('hello.js'), Crunch: { path: fixture('crunch.js'), cpu: true } } };

test('CPU-bound modules run in the node’s thread pool, errors keep their text', async (t) => {
  const c = await cluster(t, config);
  t.is(await c.call('foo', 'Crunch', 'fib', [20]), 6765);
  const poolThread = await c.call('foo', 'Crunch', 'thread');
  t.not(poolThread, 0);
  await rejectsWith(t, c.call('foo', 'Crunch', 'fail'), 'KV_ERR_TASK_FAILED', 'Crunch.fail/0 failed on node "foo": RangeError: too big');
  await rejectsWith(t, c.call('foo', 'Crunch', 'nope'), 'KV_ERR_UNDEFINED_FUNCTION', 'undefined function Crunch.nope/0 on node "foo": module Crunch exports fail, fib, thread');
});

test('a client attached from ports (as a client thread would be) reaches every node', async (t) => {
  const c = await cluster(t, config);
  const attachment = await c.attachClient();
  // Link indexes: nodes from 0, the main thread's client CLIENT, client threads after it.
  t.is(attachment.index, CLIENT + 1);
  t.is(attachment.ports.length, 2);
  const remote = connectClient(attachment, { via: 'bar' });
  t.teardown(() => remote.close());
  await remote.create('apple');
  await remote.put('apple', 'k', 'from a port');
  t.is(await c.client().get('apple', 'k'), 'from a port');
  t.deepEqual(await remote.enterAt('foo').batch([{ op: 'get', bucket: 'apple', key: 'k' }]), ['from a port']);
  t.is((await c.attachClient()).index, CLIENT + 2);
  remote.close();
  await rejectsWith(t, remote.get('apple', 'k'), 'KV_ERR_CLOSED', 'the client is closed');
  t.is(await c.client().get('apple', 'k'), 'from a port');
});

test('a client thread attached before a node joined reaches it: through the others, and the node answers it directly', async (t) => {
  const c = await cluster(t, {
    routingTable: {
      slots: [
        { slots: '0-8191', node: 'foo' },
        { slots: '8192-16383', node: 'bar' },
      ],
    },
    nodes: ['foo', 'bar'],
  });
  const attachment = await c.attachClient();
  const remote = connectClient(attachment, { via: 'foo' });
  t.teardown(() => remote.close());
  t.true((await c.addNode('baz')).committed);
  // baz took the top of each node's slots: 13654-16383 from bar.
  const bucket = Array.from({ length: 100 }, (_, i) => `k${i}`).find((b) => keySlot(b) >= 13654) as string;
  t.is(await remote.route(bucket, 'Kernel', 'node', []), 'baz');
  await remote.create(bucket);
  await remote.put(bucket, 'k', 'v');
  t.is(await c.call('baz', 'KV.Registry', 'lookup', [bucket]), 'baz');
  t.is(await remote.get(bucket, 'k'), 'v');
});
