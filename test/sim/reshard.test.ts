/** Live resharding in the simulation with network faults during the move: seeded runs, zero lost acknowledged writes, the same trace from the same seed. */
import test from 'ava';
import { checkDeterminism, simulate } from '../../src/testing.js';
import type { Simulation } from '../../src/testing.js';
import type { KvConfig } from '../../src/index.js';
import { writeLoad } from '../harness/load.js';
import { slots2, slotsSwapped as swapped } from '../harness/configs.js';

const config: KvConfig = { ...slots2, timeout: 100 };
const buckets = Array.from({ length: 16 }, (_, i) => `b${i}`);

/** A reshard under load while links delay, reorder and drop frames; the load's outcome and the reshard's. */
async function faultyMove(s: Simulation): Promise<{ lost: string[]; errors: string[]; committed: boolean; held: number; fenceMs: number }> {
  const kv = s.client();
  await kv.batch(buckets.map((bucket) => ({ op: 'create' as const, bucket })));
  await kv.batch(buckets.flatMap((bucket) => Array.from({ length: 50 }, (_, k) => ({ op: 'put' as const, bucket, key: `k${k}`, value: 'v' }))));
  const load = writeLoad(s, buckets, 8, ['foo', 'bar']);
  await s.sleep(2);
  for (const [from, to] of [
    ['foo', 'bar'],
    ['bar', 'foo'],
    ['client', 'foo'],
    ['bar', 'client'],
  ] as const)
    await s.faults.link(from, to, { delayMs: 0.2, jitterMs: 0.5, drop: 0.03 });
  const result = await s.reshard(swapped);
  await s.sleep(2);
  await s.faults.clear();
  const { errors, check } = await load.stop();
  const { lost } = await check();
  return { lost, errors, committed: result.committed, held: result.held, fenceMs: result.fenceMs };
}

test("with frames delayed, reordered and dropped during the move, no acknowledged write is lost (seeds 1-6); the only failures are the drops' timeouts", async (t) => {
  for (let seed = 1; seed <= 6; seed++) {
    const s = await simulate({ config, seed, keepTrace: false });
    try {
      const outcome = await faultyMove(s);
      t.true(outcome.committed, `seed ${seed}`);
      t.deepEqual(outcome.lost, [], `seed ${seed}`);
      t.deepEqual(
        outcome.errors.filter((e) => !/^no reply to .* within 100 ms$/.test(e)),
        [],
        `seed ${seed}`,
      );
      t.true(outcome.fenceMs < 1, `seed ${seed}: the fence held requests ${outcome.fenceMs} virtual ms`);
    } finally {
      await s.close();
    }
  }
});

test('in virtual time the fence is exact: requests that reach the old owner meanwhile wait for it, then go to the new owner', async (t) => {
  const s = await simulate({ config, seed: 1 });
  t.teardown(() => s.close());
  const kv = s.client();
  await kv.batch(buckets.map((bucket) => ({ op: 'create' as const, bucket })));
  const load = writeLoad(s, buckets, 16, ['foo', 'bar']);
  await s.sleep(1);
  const result = await s.reshard(swapped);
  const { errors, check } = await load.stop();
  t.deepEqual(errors, []);
  t.deepEqual((await check()).lost, []);
  // The fence lasts four control calls of 0.01 virtual ms: fence (the last delta), import, own, release.
  t.deepEqual({ held: result.held, fenceMs: Number(result.fenceMs.toFixed(3)) }, { held: 12, fenceMs: 0.04 });
});

test('a reshard under faults replays: the same seed gives the same trace', async (t) => {
  const hash = await checkDeterminism({ config, seed: 7 }, async (s) => {
    await faultyMove(s);
  });
  t.regex(hash, /^[0-9a-f]{64}$/);
});
