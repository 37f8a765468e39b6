/**
 * `kvmesh bench`: starts the user's topology without its TCP servers, creates buckets on every
 * owning node, preloads them, then runs each scenario (single ops, and batches with --batch):
 * a warm-up that is not counted, then the counted run. Load runs in the main thread, or in
 * --clients N client threads (a piscina pool) each attached to every node with its own ports.
 * --json writes the figures, --html a page of charts of them (src/viz/bench-page.ts).
 */
import { writeFileSync } from 'node:fs';
import { cpus, availableParallelism, loadavg, totalmem } from 'node:os';
import { Piscina } from 'piscina';
import { Cluster } from '../cluster/cluster.js';
import { checkWritable, load } from '../cli/command.js';
import type { Io } from '../cli/command.js';
import { packageVersion } from '../cli/version.js';
import { Errors, KvError } from '../protocol/errors.js';
import type { NodeStats } from '../protocol/messages.js';
import type { RoutingTable } from '../core/routing.js';
import { benchPage } from '../viz/bench-page.js';
import { latencyHistogram, summarize } from './histogram.js';
import type { BenchOptions } from './options.js';
import { planBuckets } from './plan.js';
import { Bar, status, timed } from './progress.js';
import { fixed, formatReport } from './report.js';
import type { BenchDocument, Machine, ScenarioFigures } from './report.js';
import { addSamples, latencyBins, newSamples, throughput } from './samples.js';
import { keyOf, runLoad } from './workload.js';
import type { LoadRun, LoadTask } from './workload.js';

/** Runs the benchmark of `o`, prints the table (and writes the JSON); resolves with 0, throws KvError on a bad config or file. */
export async function runBench(o: BenchOptions, io: Io): Promise<number> {
  if (o.json !== undefined) checkWritable('--json', o.json, 'the figures');
  if (o.html !== undefined) checkWritable('--html', o.html, 'the page');
  const loaded = await load(o.config);
  // The load goes through the API, never TCP: with no servers a bench runs beside `kvmesh start` on the same ports.
  const settings = { ...loaded.settings, nodes: loaded.settings.nodes.map((n) => ({ ...n, port: undefined })) };
  const startedAt = new Date();
  const machine = machineInfo();
  status(io, `starting ${settings.nodes.length} node${settings.nodes.length === 1 ? '' : 's'} (no TCP servers)`);
  const cluster = await Cluster.start({ ...loaded, settings });
  let pool: Piscina | undefined;
  try {
    const buckets = await createBuckets(cluster);
    if (o.workload !== 'put') await preload(cluster, buckets, o.keys, io);
    if (o.clients > 0) pool = new Piscina({ filename: new URL('./client-task.js', import.meta.url).href, minThreads: o.clients, maxThreads: o.clients, atomics: 'disabled', idleTimeout: 60_000 });
    const rows: ScenarioFigures[] = [];
    for (const batch of o.batch > 1 ? [1, o.batch] : [1]) rows.push(await scenario(cluster, pool, o, batch, buckets, io));
    io.out(formatReport(rows, o));
    const { json: _, html: __, config: ___, ...rest } = o;
    const doc: BenchDocument = { kvmesh: packageVersion(), startedAt: startedAt.toISOString(), options: { ...rest, config: loaded.filepath ?? null }, machine, nodes: cluster.nodes, scenarios: rows };
    if (o.json !== undefined) writeFileSync(o.json, `${JSON.stringify(doc, null, 2)}\n`);
    if (o.html !== undefined) writeFileSync(o.html, benchPage(doc));
    return 0;
  } finally {
    await pool?.destroy();
    await cluster.close();
  }
}

/** The machine, as the JSON records it. */
function machineInfo(): Machine {
  const cpu = cpus()[0]?.model.trim();
  return { cpu: cpu === undefined || cpu === '' ? 'unknown' : cpu, cores: availableParallelism(), memoryGiB: fixed(totalmem() / 2 ** 30, 1), node: process.version, platform: `${process.platform} ${process.arch}`, loadavg: loadavg().map((l) => fixed(l, 2)) };
}

/** Four buckets on every node that owns a printable first byte; the ones created. */
async function createBuckets(cluster: Cluster): Promise<string[]> {
  const tables = new Map<string, RoutingTable>(cluster.nodes.map((n) => [n, cluster.routingTable(n)]));
  const plan = planBuckets(tables, cluster.nodes, 4, Infinity);
  const created = await cluster.client().batch(plan.buckets.map((bucket) => ({ op: 'create' as const, bucket })));
  const buckets = plan.buckets.filter((_, i) => !(created[i] instanceof KvError));
  if (buckets.length === 0) throw Errors.noRoute(`could not create any bucket: ${(created[0] as KvError).message}`);
  return buckets;
}

/** Writes `keys` keys into every bucket, so that reads find values. */
async function preload(cluster: Cluster, buckets: readonly string[], keys: number, io: Io): Promise<void> {
  const kv = cluster.client();
  const bar = new Bar(io, `preloading ${keys} key${keys === 1 ? '' : 's'} into each of ${buckets.length} buckets`);
  for (const [b, bucket] of buckets.entries()) {
    for (let from = 0; from < keys; from += 1000) {
      const n = Math.min(1000, keys - from);
      await kv.batch(Array.from({ length: n }, (_, i) => ({ op: 'put' as const, bucket, key: keyOf(from + i, keys), value: 'preloaded' })));
      bar.update((b * keys + from + n) / (buckets.length * keys));
    }
  }
  bar.done();
}

/** One scenario: the warm-up (discarded), then the counted run and its figures. */
async function scenario(cluster: Cluster, pool: Piscina | undefined, o: BenchOptions, batch: number, buckets: readonly string[], io: Io): Promise<ScenarioFigures> {
  const label = `${o.workload}, ${batch > 1 ? `batches of ${batch}` : 'single ops'}, ${o.inflight} in flight${o.clients > 0 ? `, ${o.clients} client threads` : ''}`;
  const run = (durationMs: number): Promise<LoadRun> => (pool === undefined ? runInMain(cluster, o, durationMs, batch, buckets) : runInThreads(cluster, pool, o, durationMs, batch, buckets));
  if (o.warmupS > 0) await timed(io, `${label}: warm-up ${o.warmupS} s`, o.warmupS * 1000, () => run(o.warmupS * 1000));
  const before = await nodeTotals(cluster);
  const result = await timed(io, `${label}: ${o.durationS} s counted`, o.durationS * 1000, () => run(o.durationS * 1000));
  const after = await nodeTotals(cluster);
  const { ops } = result;
  return {
    scenario: label,
    batch,
    ops,
    seconds: fixed(result.elapsedMs / 1000, 3),
    opsPerSec: Math.round(ops / (result.elapsedMs / 1000)),
    latency: summarize(result.latency),
    messagesPerOp: fixed((result.messages + after.messages - before.messages) / ops, 3),
    postsPerOp: fixed((result.frames + after.frames - before.frames) / ops, 3),
    hopsPerOp: fixed((after.forwarded - before.forwarded) / ops, 3),
    errors: result.errors,
    firstError: result.firstError ?? null,
    latencyBins: latencyBins(result.samples),
    throughput: throughput(result.samples),
    perNode: after.nodes.map((n, i) => ({ node: n.name, requests: n.requests - (before.nodes[i]?.requests ?? 0), forwarded: n.forwarded - (before.nodes[i]?.forwarded ?? 0) })),
  };
}

function runInMain(cluster: Cluster, o: BenchOptions, durationMs: number, batch: number, buckets: readonly string[]): Promise<LoadRun> {
  const clients = cluster.nodes.map((via) => cluster.client({ via }));
  return runLoad(clients, { workload: o.workload, inflight: o.inflight, durationMs, batch, buckets, keys: o.keys });
}

async function runInThreads(cluster: Cluster, pool: Piscina, o: BenchOptions, durationMs: number, batch: number, buckets: readonly string[]): Promise<LoadRun> {
  const tasks: Promise<LoadRun>[] = [];
  for (let t = 0; t < o.clients; t++) {
    const attachment = await cluster.attachClient();
    const inflight = Math.max(1, Math.floor(o.inflight / o.clients) + (t < o.inflight % o.clients ? 1 : 0));
    const task: LoadTask = { attachment, workload: o.workload, inflight, durationMs, batch, buckets, keys: o.keys, laneBase: t + 1 };
    tasks.push(pool.run(task, { transferList: [attachment.control, ...attachment.ports.filter((p) => p !== null)] as never }) as Promise<LoadRun>);
  }
  const results = await Promise.all(tasks);
  // Each thread's histogram arrived as a clone: merging adds true values, no bucket edges.
  const latency = latencyHistogram();
  const samples = newSamples(durationMs);
  for (const r of results) {
    latency.add(r.latency);
    addSamples(samples, r.samples);
  }
  const sum = (f: (r: LoadRun) => number) => results.reduce((a, r) => a + f(r), 0);
  return {
    ops: sum((r) => r.ops),
    calls: sum((r) => r.calls),
    errors: sum((r) => r.errors),
    firstError: results.find((r) => r.firstError !== undefined)?.firstError,
    elapsedMs: Math.max(...results.map((r) => r.elapsedMs)),
    latency,
    samples,
    frames: sum((r) => r.frames),
    messages: sum((r) => r.messages),
  };
}

/** Every node's counters, and their sums. */
async function nodeTotals(cluster: Cluster): Promise<{ messages: number; frames: number; forwarded: number; nodes: NodeStats[] }> {
  const stats: NodeStats[] = await Promise.all(cluster.nodes.map((n) => cluster.stats(n)));
  return {
    nodes: stats,
    messages: stats.reduce((a, s) => a + s.messages, 0),
    frames: stats.reduce((a, s) => a + s.frames, 0),
    forwarded: stats.reduce((a, s) => a + s.forwarded, 0),
  };
}
