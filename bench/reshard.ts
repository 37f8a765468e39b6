/**
 * A live move of a million keys (issue 12): two nodes on hash slots, 100 buckets of 10 000 keys on
 * bar, and bar's half of the slots given to foo while single ops (75 % get, 25 % put, 64 in flight)
 * keep going on those buckets. Figures: the move's time (floor: loading the same keys), the fence
 * (floor: a single op's p99 before the move), and throughput during the move (floor: the same load before).
 */
import { startCluster } from '../src/index.js';
import type { KvConfig } from '../src/index.js';
import { keySlot } from '../src/core/slots.js';
import type { Record as RecordFigure } from './lib.js';
import { latency, throughput } from './lib.js';

const BUCKETS = 100;
const KEYS = 10_000;
const config: KvConfig = {
  routingTable: {
    slots: [
      { slots: '0-8191', node: 'foo' },
      { slots: '8192-16383', node: 'bar' },
    ],
  },
  nodes: ['foo', 'bar'],
};
const next: KvConfig = { routingTable: { slots: [{ slots: '0-16383', node: 'foo' }] }, nodes: ['foo', 'bar'] };

/** The move of a million keys under load. */
export async function reshardScenario(record: RecordFigure): Promise<string> {
  const c = await startCluster({ config });
  try {
    const kv = c.client({ via: 'foo' });
    const buckets: string[] = [];
    for (let i = 0; buckets.length < BUCKETS; i++) if (keySlot(`big${i}`) >= 8192) buckets.push(`big${i}`);
    await kv.batch(buckets.map((bucket) => ({ op: 'create' as const, bucket })));
    const t0 = performance.now();
    for (const bucket of buckets) {
      for (let from = 0; from < KEYS; from += 1000) await kv.batch(Array.from({ length: 1000 }, (_, j) => ({ op: 'put' as const, bucket, key: `key${from + j}`, value: 'value-0123456789' })));
    }
    const loadMs = performance.now() - t0;
    const op = (i: number): Promise<unknown> => ((i & 3) === 0 ? kv.put(buckets[i % BUCKETS] as string, `key${i % KEYS}`, 'v2') : kv.get(buckets[i % BUCKETS] as string, `key${i % KEYS}`));
    const before = await throughput(64, op, 1, 1000);
    const { p99 } = await latency(op, 5000, 500);
    let ops = 0;
    let stop = false;
    const lanes = Array.from({ length: 64 }, async (_, lane) => {
      for (let i = lane; !stop; i += 64) {
        await op(i);
        ops++;
      }
    });
    const m0 = performance.now();
    const result = await c.reshard(next);
    const moveMs = performance.now() - m0;
    const during = ops / (moveMs / 1000);
    stop = true;
    await Promise.all(lanes);
    if (!result.committed) throw new Error(`the move was undone: ${result.reason ?? ''}`);
    record({ group: 'reshard', name: `move ${(result.moved.keys / 1e6).toFixed(1)}M keys under load, time`, unit: 'ms', better: 'lower', floorName: 'loading them (batches of 1000)' }, loadMs, moveMs);
    record({ group: 'reshard', name: 'pause at the fence', unit: 'ms', better: 'lower', floorName: 'single op p99 before the move' }, p99 / 1000, result.fenceMs);
    record({ group: 'reshard', name: 'single ops during the move, 64 in flight', unit: 'ops/s', better: 'higher', floorName: 'same load before the move' }, before, during);
    return `reshard: ${result.held} requests waited at the fence, ${result.rounds} catch-up round${result.rounds === 1 ? '' : 's'}`;
  } finally {
    await c.close();
  }
}
