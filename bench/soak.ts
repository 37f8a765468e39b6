/**
 * Soak: N operations (default 1e6) from concurrent workers over three nodes, with a node
 * killed periodically. Prints resident memory at start and end, throughput over time, and
 * the count of lost acknowledged writes on nodes that did not die since (must be 0).
 *
 *   node build/bench/soak.js [ops] [--kill-every MS] [--concurrency N]
 */
import { parseArgs } from 'node:util';
import { startCluster } from '../src/index.js';
import type { KvClient } from '../src/index.js';

const { values, positionals } = parseArgs({
  options: { 'kill-every': { type: 'string', default: '1500' }, concurrency: { type: 'string', default: '64' } },
  allowPositionals: true,
});
const TOTAL = Number(positionals[0] ?? 1e6);
const KILL_EVERY_MS = Number(values['kill-every']);
const WORKERS = Number(values.concurrency);
if (!(TOTAL > 0) || !(KILL_EVERY_MS > 0) || !(WORKERS > 0)) throw new TypeError('usage: soak.js [ops > 0] [--kill-every MS] [--concurrency N]');

const NODES = ['foo', 'bar', 'baz'] as const;
const ownerOf = (bucket: string): string => (bucket < 'i' ? 'foo' : bucket < 'q' ? 'bar' : 'baz');
const BUCKETS = [...'abcdefgh'.slice(0, 4), ...'ijklmnop'.slice(0, 4), ...'qrstuvwx'.slice(0, 4)].map((c) => `${c}soak`);
const KEYS_PER_WORKER = 32;

const mb = (n: number): string => `${(n / 2 ** 20).toFixed(1)} MB`;
const cluster = await startCluster({
  config: {
    routingTable: [
      { range: 'a-h', node: 'foo' },
      { range: 'i-p', node: 'bar' },
      { range: 'q-z', node: 'baz' },
    ],
    nodes: { foo: {}, bar: {}, baz: {} },
  },
});
const clients: KvClient[] = NODES.map((via) => cluster.client({ via }));
for (const b of BUCKETS) await clients[0]?.create(b);

/** The last acknowledged value of every key, by bucket; a bucket's entries go when its node dies. */
const model = new Map<string, Map<string, string | undefined>>(BUCKETS.map((b) => [b, new Map()]));
/** Keys written once per kill round and never rewritten: read back after each kill, they must be there unless their node died. */
const sentinels = new Map<string, Map<string, string>>(BUCKETS.map((b) => [b, new Map()]));
/** Sentinels of the node killed last, which must be gone after its restart. */
let doomed: { bucket: string; key: string }[] = [];
const counts = { ops: 0, nodeDown: 0, recreated: 0, lost: 0, kills: 0, sentinelReads: 0, outlived: 0 };
cluster.on('nodedown', ({ node }) => {
  for (const b of BUCKETS) {
    if (ownerOf(b) !== node) continue;
    model.set(b, new Map());
    sentinels.set(b, new Map());
  }
});

function check(bucket: string, key: string, got: string | undefined): void {
  const m = model.get(bucket) as Map<string, string | undefined>;
  // Only keys whose last write was acknowledged, by a node that has not died since, are known.
  if (m.has(key) && m.get(key) !== got) counts.lost++;
}

async function worker(w: number): Promise<void> {
  let seq = 0;
  while (counts.ops < TOTAL) {
    counts.ops++;
    const bucket = BUCKETS[(w + seq) % BUCKETS.length] as string;
    const key = `w${w}k${seq % KEYS_PER_WORKER}`;
    const kv = clients[seq % clients.length] as KvClient;
    const roll = seq % 10;
    seq++;
    const m = model.get(bucket) as Map<string, string | undefined>;
    try {
      if (roll < 5) {
        const value = `v${seq}`;
        m.delete(key); // unknown while in flight
        await kv.put(bucket, key, value);
        model.get(bucket)?.set(key, value);
      } else if (roll < 9) {
        check(bucket, key, await kv.get(bucket, key));
      } else {
        const known = m.has(key);
        const before = m.get(key);
        m.delete(key);
        const previous = await kv.delete(bucket, key);
        // The previous value is a read too, if the bucket's node has not died meanwhile.
        if (known && model.get(bucket) === m && previous !== before) counts.lost++;
        model.get(bucket)?.set(key, undefined);
      }
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === 'KV_ERR_NODE_DOWN') counts.nodeDown++;
      else if (code === 'KV_ERR_NO_BUCKET') {
        // Its node was restarted: the bucket died with it (documented); make it again.
        counts.recreated++;
        await kv.create(bucket).catch(() => undefined);
      } else throw e;
    }
  }
}

const rssStart = process.memoryUsage().rss;
console.log(`soak: ${TOTAL} ops, ${WORKERS} workers, 3 nodes, a node killed every ${KILL_EVERY_MS} ms; rss at start ${mb(rssStart)}`);
const start = performance.now();
const rssSeen: number[] = [];
let lastOps = 0;
let lastAt = start;
const report = setInterval(() => {
  const now = performance.now();
  const rate = ((counts.ops - lastOps) * 1000) / (now - lastAt);
  lastOps = counts.ops;
  lastAt = now;
  const rss = process.memoryUsage().rss;
  rssSeen.push(rss);
  const states = cluster
    .status()
    .map((s) => `${s.node}:${s.state[0]}`)
    .join(' ');
  console.log(`  t=${((now - start) / 1000).toFixed(1)}s ops=${counts.ops} ${Math.round(rate)} ops/s nodedown-errors=${counts.nodeDown} kills=${counts.kills} [${states}] rss=${mb(rss)}`);
}, 1000);
let done = false;
let stopped = (): void => undefined;
const pause = (ms: number) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    stopped = () => {
      clearTimeout(timer);
      resolve();
    };
  });

/** Reads back every sentinel; those of buckets whose node died since must be gone. */
async function verifySentinels(kv: KvClient): Promise<void> {
  for (const [bucket, keys] of sentinels) {
    for (const [key, value] of keys) {
      counts.sentinelReads++;
      const got = await kv.get(bucket, key).catch((e: { code?: string }) => `<${e.code}>`);
      if (got !== value && sentinels.get(bucket) === keys) counts.lost++;
    }
  }
  for (const { bucket, key } of doomed) {
    const got = await kv.get(bucket, key).catch(() => undefined);
    if (got !== undefined && got.startsWith('sentinel')) counts.outlived++;
  }
  doomed = [];
}

/** Every KILL_EVERY_MS: write a sentinel into every bucket, kill the next node, wait for its restart, verify. */
async function killer(): Promise<void> {
  const kv = clients[1] as KvClient;
  for (let round = 0; !done; round++) {
    await pause(KILL_EVERY_MS);
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- set when the run ends, while this waits
    if (done) return;
    const node = NODES[round % NODES.length] as string;
    for (const bucket of BUCKETS) {
      const key = `sentinel${round}`;
      const value = `sentinel${round}-${bucket}`;
      const keys = sentinels.get(bucket) as Map<string, string>;
      if (
        await kv.put(bucket, key, value).then(
          () => true,
          () => false,
        )
      ) {
        keys.set(key, value);
        if (ownerOf(bucket) === node) doomed.push({ bucket, key });
      }
    }
    if (cluster.status().find((s) => s.node === node)?.state !== 'up') continue;
    counts.kills++;
    const up = new Promise<void>((resolve) => {
      // Up again, or down for good (restart intensity reached): either way this round is over.
      const onEvent = (e: { node: string; restarting?: boolean }): void => {
        if (e.node !== node || e.restarting === true) return;
        cluster.off('nodeup', onEvent);
        cluster.off('nodedown', onEvent);
        resolve();
      };
      cluster.on('nodeup', onEvent);
      cluster.on('nodedown', onEvent);
    });
    await cluster.kill(node).catch(() => undefined);
    await up;
    await verifySentinels(kv);
  }
}
const killing = killer();

await Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)));
done = true;
stopped();
await killing;
clearInterval(report);
const seconds = (performance.now() - start) / 1000;
// Let the last restart finish, then read back every key the model knows.
const deadline = performance.now() + 10_000;
while (cluster.status().some((s) => s.state !== 'up') && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
await verifySentinels(clients[2] as KvClient);
let verified = 0;
for (const [bucket, keys] of model) {
  for (const key of keys.keys()) {
    verified++;
    check(bucket, key, await (clients[0] as KvClient).get(bucket, key).catch(() => '<error>'));
  }
}
const rssEnd = process.memoryUsage().rss;
console.log(
  [
    `done: ${counts.ops} ops in ${seconds.toFixed(1)} s (${Math.round(counts.ops / seconds)} ops/s)`,
    `kills: ${counts.kills}; restarts: ${cluster
      .status()
      .map((s) => `${s.node} ${s.restarts}`)
      .join(', ')}`,
    `requests failed with KV_ERR_NODE_DOWN: ${counts.nodeDown}; buckets re-created after a restart: ${counts.recreated}`,
    `keys verified at the end: ${verified}`,
    `sentinel keys verified (written once, read back after every kill): ${counts.sentinelReads}`,
    `lost acknowledged writes on surviving nodes: ${counts.lost}`,
    `writes that outlived their node's death (must be 0 too: no replication): ${counts.outlived}`,
    `rss: start ${mb(rssStart)} (idle), under load min ${mb(Math.min(...rssSeen, rssEnd))} max ${mb(Math.max(...rssSeen, rssEnd))}, end ${mb(rssEnd)}`,
  ].join('\n'),
);
await cluster.close();
process.exitCode = counts.lost === 0 ? 0 : 1;
