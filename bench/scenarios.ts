/**
 * The scenarios of `npm run bench` (the TCP one is in tcp.ts). Each measures its floor (bare
 * workers and ports with nothing of kvmesh around them) moments before the kvmesh figure, in
 * the same process, and records both.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startCluster } from '../src/index.js';
import type { Cluster, KvClient, KvConfig } from '../src/index.js';
import { packOp } from '../src/protocol/batch.js';
import { bareChain, bareStartClose } from './floors.js';
import type { BareChain, FloorOp } from './floors.js';
import { latency, pause, ratioAtLeast, ratioAtMost, rss, throughput } from './lib.js';
import type { Record } from './lib.js';

const BUCKETS = 16;
const KEYS = 4096;
const keys = Array.from({ length: KEYS }, (_, i) => `key${i}`);
const VALUE = 'value-0123456789';

/** The 75 % get / 25 % put mix of transport.md, for a bare chain (one op per message). */
const floorOp = (prefix: string, i: number): FloorOp => ((i & 3) === 0 ? { op: 'put', bucket: `${prefix}${i & (BUCKETS - 1)}`, key: keys[i & (KEYS - 1)] as string, value: VALUE } : { op: 'get', bucket: `${prefix}${i & (BUCKETS - 1)}`, key: keys[i & (KEYS - 1)] as string });

/** The same mix through the kvmesh client. */
const kvOp = (kv: KvClient, prefix: string, i: number): Promise<unknown> => ((i & 3) === 0 ? kv.put(`${prefix}${i & (BUCKETS - 1)}`, keys[i & (KEYS - 1)] as string, VALUE) : kv.get(`${prefix}${i & (BUCKETS - 1)}`, keys[i & (KEYS - 1)] as string));

/** A packed batch of `n` ops of the mix, and the same as `KvClient.batch` items. */
function batches(prefix: string, n: number): { packed: string; items: Parameters<KvClient['batch']>[0] } {
  let packed = '';
  const items: Parameters<KvClient['batch']>[0][number][] = [];
  for (let i = 0; i < n; i++) {
    const o = floorOp(prefix, i * 7);
    packed = packOp(packed, o.op === 'put' ? 'p' : 'g', o.bucket, o.key, o.value ?? '');
    items.push(o.op === 'put' ? { op: 'put', bucket: o.bucket, key: o.key, value: VALUE } : { op: 'get', bucket: o.bucket, key: o.key });
  }
  return { packed, items };
}

async function withCluster<T>(config: KvConfig, fn: (c: Cluster) => Promise<T>): Promise<T> {
  const c = await startCluster({ config });
  try {
    return await fn(c);
  } finally {
    await c.close();
  }
}

async function withChain<T>(length: number, answer: 'echo' | 'store', fn: (b: BareChain) => Promise<T>): Promise<T> {
  const b = await bareChain(length, answer);
  try {
    return await fn(b);
  } finally {
    await b.close();
  }
}

async function createBuckets(kv: KvClient, prefix: string): Promise<void> {
  await kv.batch(Array.from({ length: BUCKETS }, (_, i) => ({ op: 'create' as const, bucket: `${prefix}${i}` })));
}

const guide: KvConfig = {
  routingTable: [
    { range: 'a-m', node: 'foo' },
    { range: 'n-z', node: 'bar' },
  ],
  nodes: { foo: {}, bar: {} },
};

/** Runs `fn` with a bare echo chain of `length` workers and a cluster both up (idle threads cost no CPU), so each floor is measured just before its figure. */
async function pair(length: number, config: KvConfig, prefix: string, fn: (b: BareChain, kv: KvClient) => Promise<void>): Promise<void> {
  await withChain(length, 'echo', (b) =>
    withCluster(config, async (c) => {
      const kv = c.client({ via: c.nodes[0] as string });
      await createBuckets(kv, prefix);
      await fn(b, kv);
    }),
  );
}

/** Single ops (against a bare echo: a round trip and nothing else) and batches (against bare Map work) with no forward: client → owner → client. */
export async function portScenario(record: Record): Promise<void> {
  await withChain(1, 'store', (store) =>
    pair(1, guide, 'a', async (b, kv) => {
      const fl = await latency((i) => b.single(floorOp('a', i)));
      const lat = await latency((i) => kvOp(kv, 'a', i));
      record({ group: 'port', name: 'single op, 1 in flight, p50', unit: 'µs', better: 'lower', floorName: 'bare echo RTT p50', target: ratioAtMost(1.2) }, fl.p50, lat.p50);
      record({ group: 'port', name: 'single op, 1 in flight, p99', unit: 'µs', better: 'lower', floorName: 'bare echo RTT p99' }, fl.p99, lat.p99);
      const one = await throughput(256, (i) => b.single(floorOp('a', i)));
      const coalesced = await throughput(256, (i) => b.coalesced(floorOp('a', i)));
      const thr = await throughput(256, (i) => kvOp(kv, 'a', i));
      record({ group: 'port', name: 'single op, 256 in flight', unit: 'ops/s', better: 'higher', floorName: 'bare echo, 1 msg per op', target: ratioAtLeast(1.5) }, one, thr);
      record({ group: 'port', name: 'single op, 256 in flight', unit: 'ops/s', better: 'higher', floorName: 'bare echo, coalesced', target: ratioAtLeast(0.75) }, coalesced, thr);
      const { packed, items } = batches('a', 64);
      const floorBatch = await throughput(16, () => store.packed(packed), 64);
      const batch = await throughput(16, () => kv.batch(items), 64);
      record({ group: 'port', name: 'batch API, 64 ops, 16 in flight', unit: 'ops/s', better: 'higher', floorName: 'bare packed batch', target: ratioAtLeast(0.6) }, floorBatch, batch);
    }),
  );
}

/** One and two forwards (owner replies straight to the client) vs bare relays to an echo that replies straight to main. */
export async function hopScenario(record: Record): Promise<void> {
  await pair(2, guide, 'n', async (b, kv) => {
    const fl = await latency((i) => b.single(floorOp('n', i)), 10_000);
    const lat = await latency((i) => kvOp(kv, 'n', i), 10_000);
    record({ group: 'hop', name: 'one forward, p50', unit: 'µs', better: 'lower', floorName: 'bare relay A→B→main', target: ratioAtMost(1.3) }, fl.p50, lat.p50);
    const ft = await throughput(256, (i) => b.single(floorOp('n', i)));
    record({ group: 'hop', name: 'one forward, 256 in flight', unit: 'ops/s', better: 'higher', floorName: 'bare relay A→B→main' }, ft, await throughput(256, (i) => kvOp(kv, 'n', i)));
  });
  const chain: KvConfig = {
    nodes: {
      foo: {
        routingTable: [
          { range: 'a-m', node: 'foo' },
          { range: 'n-z', node: 'bar' },
        ],
      },
      bar: {
        routingTable: [
          { range: 'a-m', node: 'foo' },
          { range: 'n-z', node: 'baz' },
        ],
      },
      baz: {
        routingTable: [
          { range: 'a-m', node: 'foo' },
          { range: 'n-z', node: 'baz' },
        ],
      },
    },
  };
  await pair(3, chain, 'n', async (b, kv) => {
    const fl = await latency((i) => b.single(floorOp('n', i)), 10_000);
    const lat = await latency((i) => kvOp(kv, 'n', i), 10_000);
    record({ group: 'hop', name: 'two forwards, p50', unit: 'µs', better: 'lower', floorName: 'bare relay A→B→C→main' }, fl.p50, lat.p50);
    const ft = await throughput(256, (i) => b.single(floorOp('n', i)));
    record({ group: 'hop', name: 'two forwards, 256 in flight', unit: 'ops/s', better: 'higher', floorName: 'bare relay A→B→C→main' }, ft, await throughput(256, (i) => kvOp(kv, 'n', i)));
  });
}

/** A config of `n` nodes splitting the lower-case letters between them. */
export function spreadConfig(n: number): KvConfig {
  const names = Array.from({ length: n }, (_, i) => `n${i}`);
  const per = Math.ceil(26 / n);
  const routingTable = names
    .map((node, i) => ({ node, from: 97 + i * per, to: Math.min(122, 97 + (i + 1) * per - 1) }))
    .filter((e) => e.from <= 122)
    .map((e) => ({ range: [e.from, e.to] as [number, number], node: e.node }));
  return { routingTable, nodes: names };
}

/** Start + close of 2/8/32 nodes vs as many bare workers; resident memory per idle node. */
export async function clusterScenario(record: Record): Promise<void> {
  for (const n of [2, 8, 32]) {
    const bare = await bareStartClose(n);
    const t0 = performance.now();
    await (await startCluster({ config: spreadConfig(n) })).close();
    const ours = performance.now() - t0;
    record({ group: 'cluster', name: `start + close, ${n} nodes`, unit: 'ms', better: 'lower', floorName: `${n} bare workers`, ...(n === 8 ? { target: ratioAtMost(1.5) } : {}) }, bare, ours);
  }
  // In a fresh process each (see rss-probe.ts).
  const probe = (mode: string): number => Number(execFileSync(process.execPath, [fileURLToPath(new URL('./rss-probe.js', import.meta.url)), mode, '8'], { encoding: 'utf8' }).trim());
  const bare = probe('bare');
  const ours = probe('kvmesh');
  record({ group: 'cluster', name: 'RSS per idle node (8 nodes)', unit: 'MiB', better: 'lower', floorName: 'bare idle worker', target: { text: '≤ 12 MiB', met: (_r, v) => v <= 12 } }, bare, ours);
}

const MILLION = 1_000_000;

/** 1 million keys loaded into one node and read back, 64-op batches, 16 in flight; memory per key. */
export async function millionScenario(record: Record): Promise<void> {
  const load = async (send: (from: number) => Promise<unknown>): Promise<number> => {
    let next = 0;
    const t0 = performance.now();
    const lane = async (): Promise<void> => {
      while (next < MILLION) {
        const from = next;
        next += 64;
        await send(from);
      }
    };
    await Promise.all(Array.from({ length: 16 }, lane));
    return MILLION / ((performance.now() - t0) / 1000);
  };
  const key = (i: number) => `key${i}`;
  const floor = await withChain(1, 'store', async (b) => {
    const r0 = rss();
    const put = await load((from) => {
      let p = '';
      for (let i = from; i < from + 64 && i < MILLION; i++) p = packOp(p, 'p', 'm', key(i), `v${i}`);
      return b.packed(p);
    });
    await pause(200);
    const bytes = (rss() - r0) / MILLION;
    const get = await load((from) => {
      let p = '';
      for (let i = from; i < from + 64 && i < MILLION; i++) p = packOp(p, 'g', 'm', key(i), '');
      return b.packed(p);
    });
    return { put, get, bytes };
  });
  await withCluster({ routingTable: [{ range: [0, 255], node: 'solo' }], nodes: ['solo'] }, async (c) => {
    const kv = c.client();
    await kv.create('m');
    const r0 = rss();
    const put = await load((from) => kv.batch(Array.from({ length: Math.min(64, MILLION - from) }, (_, j) => ({ op: 'put' as const, bucket: 'm', key: key(from + j), value: `v${from + j}` }))));
    await pause(200);
    const bytes = (rss() - r0) / MILLION;
    const get = await load((from) => kv.batch(Array.from({ length: Math.min(64, MILLION - from) }, (_, j) => ({ op: 'get' as const, bucket: 'm', key: key(from + j) }))));
    record({ group: '1M keys', name: 'load, one node', unit: 'ops/s', better: 'higher', floorName: 'bare packed batches' }, floor.put, put);
    record({ group: '1M keys', name: 'read back, one node', unit: 'ops/s', better: 'higher', floorName: 'bare packed batches' }, floor.get, get);
    record({ group: '1M keys', name: 'memory per key', unit: 'B', better: 'lower', floorName: 'bare Map in a worker' }, floor.bytes, bytes);
  });
}
