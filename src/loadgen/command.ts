/**
 * `kvmesh bench`: starts the user's topology, creates buckets on every owning node, runs a
 * workload (single ops, and batches with --batch), and reports per scenario ops/s, latency
 * percentiles, and messages and hops per op. Load runs in the main thread, or in --clients N
 * client threads (a piscina pool) each attached to every node with its own ports.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Piscina } from 'piscina';
import { startCluster } from '../cluster/cluster.js';
import type { Cluster } from '../cluster/cluster.js';
import { KvError } from '../protocol/errors.js';
import type { LoadResult, LoadTask, NodeStats } from '../protocol/messages.js';
import type { RoutingTable } from '../core/routing.js';
import { Histogram } from './histogram.js';
import { planBuckets } from './plan.js';
import { formatReport, progressBar } from './report.js';
import type { ScenarioFigures } from './report.js';
import { keyOf, runLoad } from './workload.js';
import type { Workload } from './workload.js';

const USAGE = `usage: kvmesh bench [--config FILE] [--workload get|put|mixed] [--inflight N] [--duration S]
                    [--batch N] [--clients N] [--keys N] [--json FILE]
  Starts the cluster of kvrc.json (or FILE), creates buckets on every node that owns data,
  and measures ops/s, p50/p99/p99.9 latency, messages and hops per op.
  --workload   get, put, or mixed (75 % get, 25 % put; the default)
  --inflight   calls kept in flight in total (default 64)
  --duration   seconds per scenario (default 5)
  --batch      also run the workload as batches of N ops (KvClient.batch)
  --clients    load from N client threads (default 0: the main thread)
  --keys       keys per bucket (default 1000)
  --json       also write the figures to FILE`;

interface Options {
  readonly config: string | undefined;
  readonly workload: Workload;
  readonly inflight: number;
  readonly durationMs: number;
  readonly batch: number;
  readonly clients: number;
  readonly keys: number;
  readonly json: string | undefined;
}

/** Parses argv (after `bench`); returns the issues found instead when there are any. */
export function parseBenchArgs(argv: string[]): Options | string[] {
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string', short: 'c' },
      workload: { type: 'string', default: 'mixed' },
      inflight: { type: 'string', default: '64' },
      duration: { type: 'string', default: '5' },
      batch: { type: 'string', default: '1' },
      clients: { type: 'string', default: '0' },
      keys: { type: 'string', default: '1000' },
      json: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: false,
  });
  const issues: string[] = [];
  const int = (name: keyof typeof values, min: number, max: number): number => {
    const text = String(values[name]);
    const n = Number(text);
    if (!Number.isInteger(n) || n < min || n > max) issues.push(`--${name} must be an integer from ${min} to ${max}, received ${JSON.stringify(text)}`);
    return n;
  };
  const workload = String(values.workload);
  if (!['get', 'put', 'mixed'].includes(workload)) issues.push(`--workload must be get, put or mixed, received ${JSON.stringify(workload)}`);
  const duration = Number(values.duration);
  if (!(duration > 0 && duration <= 3600)) issues.push(`--duration must be a number of seconds from 0 to 3600, received ${JSON.stringify(values.duration)}`);
  const options: Options = {
    config: values.config,
    workload: workload as Workload,
    inflight: int('inflight', 1, 100_000),
    durationMs: duration * 1000,
    batch: int('batch', 1, 65_535),
    clients: int('clients', 0, 64),
    keys: int('keys', 1, 10_000_000),
    json: values.json,
  };
  return issues.length > 0 ? issues : options;
}

/** Where `kvmesh bench` writes its lines (the CLI's `Io`). */
export interface BenchIo {
  out(line: string): void;
  err(line: string): void;
  /** Rewrites the progress line (`\r`-led text); given only where a person watches (a TTY). */
  progress?(text: string): void;
}

const consoleIo: BenchIo = {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
  ...(process.stderr.isTTY === true ? { progress: (text: string) => process.stderr.write(text) } : {}),
};

/** The text of `kvmesh bench --help`. */
export const BENCH_USAGE = USAGE;

/** `kvmesh bench ...`: runs the benchmark and prints the table; resolves with the exit code (0 done, 1 failed, 2 bad options). */
export async function benchCommand(argv: string[], io: BenchIo = consoleIo): Promise<number> {
  let options: Options | string[];
  try {
    options = parseBenchArgs(argv);
  } catch (e) {
    options = [(e as Error).message];
  }
  if (argv.includes('--help') || argv.includes('-h')) {
    io.out(USAGE);
    return 0;
  }
  if (Array.isArray(options)) {
    for (const issue of options) io.err(`kvmesh bench: ${issue}`);
    io.err(USAGE);
    return 2;
  }
  let cluster: Cluster | undefined;
  let pool: Piscina | undefined;
  try {
    cluster = await startCluster(options.config === undefined ? {} : { config: options.config });
    const rows = await runBench(cluster, options, io, (p) => (pool = p));
    io.out(formatReport(rows));
    if (options.json !== undefined) {
      writeFileSync(options.json, `${JSON.stringify({ config: cluster.configFile ?? null, nodes: cluster.nodes, node: process.version, scenarios: rows }, null, 2)}\n`);
    }
    return 0;
  } catch (e) {
    io.err(e instanceof KvError ? `kvmesh bench: ${e.message}` : String((e as Error).stack ?? e));
    return 1;
  } finally {
    await (pool as Piscina | undefined)?.destroy();
    await cluster?.close();
  }
}

async function runBench(cluster: Cluster, o: Options, io: BenchIo, onPool: (p: Piscina) => void): Promise<ScenarioFigures[]> {
  const tables = new Map<string, RoutingTable>(cluster.nodes.map((n) => [n, cluster.routingTable(n)]));
  const plan = planBuckets(tables, cluster.nodes, 4, Infinity);
  const kv = cluster.client();
  const created = await kv.batch(plan.buckets.map((bucket) => ({ op: 'create' as const, bucket })));
  const buckets = plan.buckets.filter((_, i) => !(created[i] instanceof KvError));
  if (buckets.length === 0) throw new KvError('KV_ERR_NO_ROUTE', `kvmesh bench: could not create any bucket: ${(created[0] as KvError).message}`);
  if (o.workload !== 'put') await preload(cluster, buckets, o.keys);
  const pool = o.clients > 0 ? new Piscina({ filename: new URL('./client-task.js', import.meta.url).href, minThreads: o.clients, maxThreads: o.clients, atomics: 'disabled', idleTimeout: 60_000 }) : undefined;
  if (pool !== undefined) onPool(pool);
  const scenarios = [{ name: `${o.workload}, single ops`, batch: 1 }, ...(o.batch > 1 ? [{ name: `${o.workload}, batches of ${o.batch}`, batch: o.batch }] : [])];
  const rows: ScenarioFigures[] = [];
  for (const s of scenarios) {
    const label = `${s.name}, ${o.inflight} in flight${o.clients > 0 ? `, ${o.clients} client threads` : ''}`;
    const before = await nodeTotals(cluster);
    const result = await withProgress(io, label, o.durationMs, () => (pool === undefined ? runInMain(cluster, o, s.batch, buckets) : runInThreads(cluster, pool, o, s.batch, buckets)));
    const after = await nodeTotals(cluster);
    const hist = new Histogram(result.counts);
    const ops = result.ops;
    rows.push({
      scenario: label,
      workload: o.workload,
      batch: s.batch,
      inflight: o.inflight,
      clients: o.clients,
      ops,
      seconds: result.elapsedMs / 1000,
      opsPerSec: ops / (result.elapsedMs / 1000),
      p50Us: hist.percentile(0.5),
      p99Us: hist.percentile(0.99),
      p999Us: hist.percentile(0.999),
      messagesPerOp: (result.messages + after.messages - before.messages) / ops,
      postsPerOp: (result.frames + after.frames - before.frames) / ops,
      hopsPerOp: (after.forwarded - before.forwarded) / ops,
      errors: result.errors,
      firstError: result.firstError,
    });
  }
  return rows;
}

/** Writes `keys` keys into every bucket, so that reads find values. */
async function preload(cluster: Cluster, buckets: readonly string[], keys: number): Promise<void> {
  const kv = cluster.client();
  for (const bucket of buckets) {
    for (let from = 0; from < keys; from += 1000) {
      const n = Math.min(1000, keys - from);
      await kv.batch(Array.from({ length: n }, (_, i) => ({ op: 'put' as const, bucket, key: keyOf(from + i, keys), value: 'preloaded' })));
    }
  }
}

function runInMain(cluster: Cluster, o: Options, batch: number, buckets: readonly string[]): Promise<LoadResult> {
  const clients = cluster.nodes.map((via) => cluster.client({ via }));
  return runLoad(clients, { workload: o.workload, inflight: o.inflight, durationMs: o.durationMs, batch, buckets, keys: o.keys });
}

async function runInThreads(cluster: Cluster, pool: Piscina, o: Options, batch: number, buckets: readonly string[]): Promise<LoadResult> {
  const tasks: Promise<LoadResult>[] = [];
  for (let t = 0; t < o.clients; t++) {
    const attachment = await cluster.attachClient();
    const inflight = Math.max(1, Math.floor(o.inflight / o.clients) + (t < o.inflight % o.clients ? 1 : 0));
    const task: LoadTask = { attachment, workload: o.workload, inflight, durationMs: o.durationMs, batch, buckets, keys: o.keys, laneBase: t + 1 };
    tasks.push(pool.run(task, { transferList: [attachment.control, ...attachment.ports.filter((p) => p !== null)] as never }));
  }
  const results = await Promise.all(tasks);
  const hist = new Histogram();
  for (const r of results) hist.merge(r);
  const sum = (f: (r: LoadResult) => number) => results.reduce((a, r) => a + f(r), 0);
  return {
    ops: sum((r) => r.ops),
    calls: sum((r) => r.calls),
    errors: sum((r) => r.errors),
    firstError: results.find((r) => r.firstError !== undefined)?.firstError,
    elapsedMs: Math.max(...results.map((r) => r.elapsedMs)),
    counts: hist.counts,
    frames: sum((r) => r.frames),
    messages: sum((r) => r.messages),
  };
}

async function nodeTotals(cluster: Cluster): Promise<{ messages: number; frames: number; forwarded: number }> {
  const stats: NodeStats[] = await Promise.all(cluster.nodes.map((n) => cluster.stats(n)));
  return {
    messages: stats.reduce((a, s) => a + s.messages, 0),
    frames: stats.reduce((a, s) => a + s.frames, 0),
    forwarded: stats.reduce((a, s) => a + s.forwarded, 0),
  };
}

/** Runs `fn` with a time-based progress bar, if `io` shows one (a TTY). */
async function withProgress<T>(io: BenchIo, label: string, durationMs: number, fn: () => Promise<T>): Promise<T> {
  const show = io.progress;
  if (show === undefined) return fn();
  const t0 = performance.now();
  const timer = setInterval(() => show(progressBar(label, (performance.now() - t0) / durationMs)), 200);
  try {
    return await fn();
  } finally {
    clearInterval(timer);
    show(`${progressBar(label, 1)}\n`);
  }
}
