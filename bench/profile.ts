/**
 * `node --cpu-prof --cpu-prof-dir=DIR build/bench/profile.js [single|batch|forward]`: one kvmesh
 * workload for 3 s, to profile the hot path (main thread and node threads each write a profile).
 */
import { startCluster } from '../src/index.js';
import { throughput } from './lib.js';

const mode = process.argv[2] ?? 'single';
const c = await startCluster({ config: { routingTable: [{ range: 'a-m', node: 'foo' }, { range: 'n-z', node: 'bar' }], nodes: { foo: {}, bar: {} } } });
const kv = c.client({ via: 'foo' });
const prefix = mode === 'forward' ? 'n' : 'a';
await kv.batch(Array.from({ length: 16 }, (_, i) => ({ op: 'create' as const, bucket: `${prefix}${i}` })));
const items = Array.from({ length: 64 }, (_, i) => ({ op: 'get' as const, bucket: `${prefix}${i & 15}`, key: `key${i}` }));
const ops = mode === 'batch'
  ? await throughput(16, () => kv.batch(items), 64, 3_000)
  : await throughput(256, (i) => ((i & 3) === 0 ? kv.put(`${prefix}${i & 15}`, `key${i & 4095}`, 'value-0123456789') : kv.get(`${prefix}${i & 15}`, `key${i & 4095}`)), 1, 3_000);
console.log(`${mode}: ${(ops / 1000).toFixed(1)}k ops/s`);
await c.close();
