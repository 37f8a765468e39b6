/**
 * What the simulation (`kvmesh/testing`) costs, driven as a user drives it: client calls from
 * this code, paced by `sim.sleep`. Prints figures, asserts nothing.
 *   (a) one virtual minute of 5 nodes at 1,000 requests/s (mixed get/put, random entry node) with
 *       faults on: jitter and 1% loss on some links, a 3 s partition, a kill;
 *   (b) start and close of a 3-node simulation, median of 50.
 *
 *   npm run build && node build/bench/sim.js [--seconds N]
 */
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { simulate } from '../src/testing.js';
import type { KvConfig } from '../src/index.js';
import { Random } from '../src/sim/random.js';
import { median } from './lib.js';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '60' }, batch: { type: 'string', default: '1' } } });
const SECONDS = Number(values.seconds);
// Requests issued per sim.sleep(batch): 1 (the default) is one request a virtual ms, one sleep each.
const BATCH = Number(values.batch);
if (!(SECONDS > 0) || !(BATCH >= 1)) throw new TypeError('usage: sim.js [--seconds N > 0] [--batch MS ≥ 1]');

const NODES = ['n0', 'n1', 'n2', 'n3', 'n4'];
const five: KvConfig = {
  routingTable: ['a-e', 'f-j', 'k-o', 'p-t', 'u-z'].map((range, i) => ({ range, node: NODES[i] as string })),
  nodes: NODES,
  timeout: 500,
};
const BUCKETS = Array.from('abcdefghijklmnopqrstuvwxyz').map((c) => `${c}bench`);
const ownerOf = (bucket: string): string => NODES[Math.min(4, Math.floor((bucket.charCodeAt(0) - 97) / 5))] as string;
const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/** One run of (a): its wall time, the outcomes of its requests, and its trace hash (and events, if kept). */
async function minute(keepTrace: boolean, seconds = SECONDS): Promise<{ wallMs: number; cpuMs: number; outcomes: Map<string, number>; hash: string; kinds: Map<string, number> }> {
  const sim = await simulate({ config: five, seed: 1, keepTrace });
  const random = new Random(7);
  const clients = NODES.map((via) => sim.client({ via }));
  const outcomes = new Map<string, number>();
  const count = (what: string): void => void outcomes.set(what, (outcomes.get(what) ?? 0) + 1);
  for (const b of BUCKETS) await clients[0]?.create(b);
  // A user's reaction to a restart: the buckets died with the node, so make them again.
  sim.on('nodeup', ({ node }: { node: string }) => {
    for (const b of BUCKETS) if (ownerOf(b) === node) void clients[0]?.create(b).catch(() => undefined);
  });
  await sim.faults.link('n0', 'n1', { jitterMs: 2, drop: 0.01 });
  await sim.faults.link('n2', 'n3', { jitterMs: 1, drop: 0.01 });
  await sim.faults.link('client', 'n4', { jitterMs: 0.5, drop: 0.01 });
  await sim.faults.link('n4', 'client', { drop: 0.01 });
  const start = performance.now();
  const cpu = process.cpuUsage();
  let issued = 0;
  for (let ms = 0; ms < seconds * 1000; ms++) {
    if (ms === 20_000) await sim.faults.partition(['n3'], ['n0', 'n1', 'n2', 'n4']);
    if (ms === 23_000) await sim.faults.heal();
    if (ms === 40_000) await sim.kill('n2');
    const kv = clients[random.int(NODES.length)] as (typeof clients)[number];
    const bucket = BUCKETS[random.int(BUCKETS.length)] as string;
    const key = `k${random.int(100)}`;
    const put = random.chance(0.5);
    const p = put ? kv.put(bucket, key, `v${ms}`) : kv.get(bucket, key);
    issued++;
    void p.then(
      () => count(put ? 'put ok' : 'get ok'),
      (e: { code: string }) => count(e.code),
    );
    if (ms % BATCH === BATCH - 1) await sim.sleep(BATCH);
  }
  // Past the last deadline (+ a sweep). Not awaited one by one: a request the deadline sweep lost
  // (see test/sim/properties.test.ts) would never settle; it is counted as unsettled.
  await sim.sleep((five.timeout ?? 0) + 20);
  const wallMs = performance.now() - start;
  const { user, system } = process.cpuUsage(cpu);
  const settled = new Map(outcomes);
  const unsettled = issued - [...settled.values()].reduce((a, b) => a + b, 0);
  if (unsettled > 0) settled.set('never settled', unsettled);
  const kinds = new Map<string, number>();
  for (const e of sim.trace()) kinds.set(e.kind, (kinds.get(e.kind) ?? 0) + 1);
  const hash = sim.traceHash();
  await sim.close();
  return { wallMs, cpuMs: (user + system) / 1000, outcomes: settled, hash, kinds };
}

console.log(`kvmesh sim bench: ${cpus().length} vCPU ${cpus()[0]?.model.trim() ?? ''}, Node ${process.version}; load average at start ${load()}`);

// Warm-up: the first seconds of a fresh process run slow (JIT); a short run first, discarded.
await minute(false, 5);
const fast = await minute(false);
// The same config, seed and code replay the same run: a second one keeping the trace counts its events.
const traced = await minute(true);
const sum = (kinds: readonly string[]): number => kinds.reduce((n, k) => n + (traced.kinds.get(k) ?? 0), 0);
// Events the queue ran: deliveries (and frames lost on arrival), timers (control calls and starts are timers too), close notices.
const events = sum(['deliver', 'timer', 'close']);
const deliveries = sum(['deliver']);
console.log(`\n(a) ${SECONDS} virtual s, 5 nodes, 1,000 requests/s paced by sim.sleep(${BATCH}) every ${BATCH} request(s), faults on (keepTrace: false)`);
console.log(`  wall ${fast.wallMs.toFixed(0)} ms (CPU ${fast.cpuMs.toFixed(0)} ms); ${events.toLocaleString('en')} events run (${deliveries.toLocaleString('en')} deliveries), ${((fast.wallMs * 1000) / events).toFixed(1)} µs wall (${((fast.cpuMs * 1000) / events).toFixed(1)} µs CPU) an event`);
console.log(`  requests settled: ${[...fast.outcomes].map(([k, n]) => `${k} ${n.toLocaleString('en')}`).join(', ')}`);
console.log(`  events counted on a replay with keepTrace: true (same trace hash: ${traced.hash === fast.hash ? 'yes' : 'NO'}), which took ${traced.wallMs.toFixed(0)} ms wall`);
console.log(`  trace by kind: ${[...traced.kinds].map(([k, n]) => `${k} ${n.toLocaleString('en')}`).join(', ')}`);

const three: KvConfig = {
  routingTable: [
    { range: 'a-h', node: 'foo' },
    { range: 'i-p', node: 'bar' },
    { range: 'q-z', node: 'baz' },
  ],
  nodes: ['foo', 'bar', 'baz'],
};
for (let i = 0; i < 5; i++) await (await simulate({ config: three, seed: i })).close(); // warm-up
const starts: number[] = [];
const closes: number[] = [];
for (let i = 0; i < 50; i++) {
  const t0 = performance.now();
  const sim = await simulate({ config: three, seed: i });
  const t1 = performance.now();
  await sim.close();
  starts.push(t1 - t0);
  closes.push(performance.now() - t1);
}
console.log(`\n(b) a 3-node simulation, median of 50: start ${median(starts).toFixed(2)} ms, close ${median(closes).toFixed(2)} ms`);
console.log(`\nload average at end ${load()}`);
