/** The README's simulation example, step by step, with what it says each step prints. */
import test from 'ava';
import { checkDeterminism, simulate } from '../../src/testing.js';
import type { Simulation } from '../../src/testing.js';
import type { KvConfig } from '../../src/index.js';

const config: KvConfig = {
  routingTable: [
    { range: 'a-m', node: 'foo' },
    { range: 'n-z', node: 'bar' },
  ],
  nodes: ['foo', 'bar'],
  timeout: 500,
};

async function example(sim: Simulation, t: import('ava').ExecutionContext): Promise<void> {
  const kv = sim.client({ via: 'foo' });
  await kv.create('shopping');
  await kv.put('shopping', 'milk', '1');
  await sim.faults.partition(['foo'], ['bar']);
  const before = sim.now();
  await t.throwsAsync(kv.get('shopping', 'milk'), { code: 'KV_ERR_TIMEOUT', message: 'no reply to get of bucket "shopping" from node "bar" (entered at node "foo") within 500 ms' });
  t.is(sim.now() - before, 500);
  await sim.faults.heal();
  t.is(await kv.get('shopping', 'milk'), '1');
  t.deepEqual(
    sim.trace().find((e) => e.kind === 'drop'),
    { t: 0.109375, kind: 'drop', from: 'foo', to: 'bar', what: 'partition: get "shopping" #12582912 hop 1' },
  );
}

test('the README example prints what the README says, and replays from its seed', async (t) => {
  const sim = await simulate({ config, seed: 42 });
  await example(sim, t);
  await sim.close();
  const hash = sim.traceHash();
  t.is(await checkDeterminism({ config, seed: 42 }, (s) => example(s, t)), hash);
});
