/**
 * `node build/bench/processes.js`: processes against their floors, measured in the same run.
 * - ping-pong between processes on two nodes, one in flight: p50 against a bare MessagePort
 *   round trip between two worker threads (timed in the pinging thread in both);
 * - 256 ping-pong pairs between two nodes: messages/s (target ≥ 300k);
 * - 10,000 processes spawned on a node, from a process there and from the app (target < 200 ms),
 *   against 10,000 calls from the app.
 * Options: --rounds N (default 3). Prints medians; never fails.
 */
import { Worker } from 'node:worker_threads';
import { parseArgs } from 'node:util';
import { loadavg } from 'node:os';
import { startCluster } from '../src/index.js';
import type { Cluster } from '../src/index.js';
import { median, percentile } from './lib.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' } } });
const rounds = Math.max(1, Number(values.rounds) || 3);
const WARM = 2_000;
const N = 20_000;

/** Two bare worker threads joined by a MessageChannel: one pings, the other echoes; the pinger times each round trip. */
const FLOOR = `
const { parentPort, workerData, MessageChannel } = require('node:worker_threads');
if (workerData.role === 'echo') {
  parentPort.once('message', (port) => port.on('message', (m) => port.postMessage(m)));
} else {
  parentPort.once('message', async ({ port, warm, n }) => {
    let resolve;
    port.on('message', (m) => resolve(m));
    const ping = (i) => new Promise((r) => { resolve = r; port.postMessage(['#PID<bench.1.0>', i]); });
    for (let i = 0; i < warm; i++) await ping(i);
    const times = new Array(n);
    for (let i = 0; i < n; i++) { const t0 = performance.now(); await ping(i); times[i] = (performance.now() - t0) * 1000; }
    parentPort.postMessage(times);
  });
}`;

async function bareRoundTrip(): Promise<number> {
  const { MessageChannel } = await import('node:worker_threads');
  const echo = new Worker(FLOOR, { eval: true, workerData: { role: 'echo' } });
  const pinger = new Worker(FLOOR, { eval: true, workerData: { role: 'ping' } });
  const { port1, port2 } = new MessageChannel();
  echo.postMessage(port2, [port2]);
  const times = new Promise<number[]>((resolve) => pinger.once('message', resolve));
  pinger.postMessage({ port: port1, warm: WARM, n: N }, [port1]);
  const sorted = (await times).sort((a, b) => a - b);
  await Promise.all([echo.terminate(), pinger.terminate()]);
  return percentile(sorted, 0.5);
}

async function processRoundTrip(c: Cluster): Promise<number> {
  const me = c.self();
  const echo = await c.spawn('bar', 'Bench', 'echo');
  await c.spawn('foo', 'Bench', 'pinger', [echo, WARM, N, me.pid]);
  const sorted = (await me.receive<number[]>(undefined, 60_000)).sort((a, b) => a - b);
  c.exit(echo, 'kill');
  return percentile(sorted, 0.5);
}

async function pairsRate(c: Cluster, k: number): Promise<number> {
  const me = c.self();
  await c.spawn('foo', 'Bench', 'pairs', ['bar', k, 300, 1_500, me.pid]);
  const [messages, ms] = await me.receive<[number, number]>(undefined, 60_000);
  return messages / (ms / 1000);
}

async function spawnFromNode(c: Cluster, n: number): Promise<number> {
  const me = c.self();
  await c.spawn('foo', 'Bench', 'spawnMany', [n, me.pid]);
  return me.receive<number>(undefined, 60_000);
}

async function fromApp(n: number, run: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await Promise.all(Array.from({ length: n }, run));
  return performance.now() - t0;
}

const module = new URL('./process-module.js', import.meta.url).pathname;
const config = { nodes: ['foo', 'bar'], modules: { Bench: module }, maxProcesses: 100_000 };
const figures = new Map<string, number[]>();
const add = (name: string, v: number): void => void (figures.get(name) ?? figures.set(name, []).get(name))?.push(v);

console.log(
  `processes bench: ${rounds} rounds, medians; load average at start ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
for (let round = 1; round <= rounds; round++) {
  process.stderr.write(`round ${round}/${rounds}\n`);
  add('bare MessagePort round trip p50, µs', await bareRoundTrip());
  const c = await startCluster({ config });
  try {
    add('process ping-pong foo → bar p50, µs', await processRoundTrip(c));
    add('256 pairs foo ↔ bar, messages/s', await pairsRate(c, 256));
    // Each figure after one unmeasured run: a fresh node thread's first 10,000 spawns also pay for its JIT warming up.
    const spawnApp = async (): Promise<unknown> => c.exit(await c.spawn('foo', 'Bench', 'idle'), 'kill');
    const callApp = (): Promise<unknown> => c.call('foo', 'Kernel', 'node');
    await spawnFromNode(c, 10_000);
    add('10,000 spawns from a process on foo, ms', await spawnFromNode(c, 10_000));
    await fromApp(10_000, spawnApp);
    add('10,000 spawns from the app on foo, ms', await fromApp(10_000, spawnApp));
    await fromApp(10_000, callApp);
    add('10,000 calls from the app to foo (floor), ms', await fromApp(10_000, callApp));
  } finally {
    await c.close();
  }
}

const m = (name: string): number => median(figures.get(name) ?? []);
for (const [name, vs] of figures) console.log(`${name.padEnd(48)} ${m(name).toFixed(1).padStart(10)}   (rounds: ${vs.map((v) => v.toFixed(1)).join(', ')})`);
// Each round's ratio against the floor measured moments before it, then their median: the machine's load moves both.
const floors = figures.get('bare MessagePort round trip p50, µs') ?? [];
const ratios = (figures.get('process ping-pong foo → bar p50, µs') ?? []).map((v, i) => v / (floors[i] ?? NaN));
console.log(`ping-pong / bare round trip: ${median(ratios).toFixed(2)}× (rounds: ${ratios.map((r) => r.toFixed(2)).join(', ')}; target ≤ 1.3×)`);
console.log(`256 pairs: ${(m('256 pairs foo ↔ bar, messages/s') / 1000).toFixed(0)}k messages/s (target ≥ 300k)`);
console.log(`10,000 spawns: ${m('10,000 spawns from a process on foo, ms').toFixed(0)} ms from a process, ${m('10,000 spawns from the app on foo, ms').toFixed(0)} ms from the app (target < 200 ms); 10,000 calls: ${m('10,000 calls from the app to foo (floor), ms').toFixed(0)} ms`);
console.log(
  `load average at end ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
