/**
 * `node --cpu-prof --cpu-prof-dir=DIR build/bench/profile.js [single|batch|forward|echo|relay] [IN_FLIGHT]`:
 * one kvmesh workload (or, for `echo` and `relay`, the floor of `single` and `forward`) for 3 s, to profile the hot path (main thread and node threads each write
 * a profile; `node build/bench/cpu-top.js DIR` sums them). IN_FLIGHT: single ops kept in flight
 * (default 256; 1 is the latency rows' load).
 */
import { startCluster } from '../src/index.js';
import { throughput } from './lib.js';
import { bareChain } from './floors.js';

const mode = process.argv[2] ?? 'single';
const c = await startCluster({
  config: {
    routingTable: [
      { range: 'a-m', node: 'foo' },
      { range: 'n-z', node: 'bar' },
    ],
    nodes: { foo: {}, bar: {} },
  },
});
const kv = c.client({ via: 'foo' });
const prefix = mode === 'forward' ? 'n' : 'a';
const inflight = Number(process.argv[3] ?? 256);
await kv.batch(Array.from({ length: 16 }, (_, i) => ({ op: 'create' as const, bucket: `${prefix}${i}` })));
const items = Array.from({ length: 64 }, (_, i) => ({ op: 'get' as const, bucket: `${prefix}${i & 15}`, key: `key${i}` }));
const floor = mode === 'echo' || mode === 'relay' ? await bareChain(mode === 'relay' ? 2 : 1, 'echo') : undefined;
const ops =
  floor !== undefined
    ? await throughput(inflight, (i) => floor.single((i & 3) === 0 ? { op: 'put', bucket: `a${i & 15}`, key: `key${i & 4095}`, value: 'value-0123456789' } : { op: 'get', bucket: `a${i & 15}`, key: `key${i & 4095}` }), 1, 3_000)
    : mode === 'batch'
      ? await throughput(16, () => kv.batch(items), 64, 3_000)
      : await throughput(inflight, (i) => ((i & 3) === 0 ? kv.put(`${prefix}${i & 15}`, `key${i & 4095}`, 'value-0123456789') : kv.get(`${prefix}${i & 15}`, `key${i & 4095}`)), 1, 3_000);
console.log(`${mode}, ${mode === 'batch' ? 16 : inflight} in flight: ${(ops / 1000).toFixed(1)}k ops/s`);
await floor?.close();
await c.close();
