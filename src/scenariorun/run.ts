/**
 * `runScenario`: loads a scenario, plans its workload from its seed, plays it on a simulation
 * (virtual time, deterministic: the default) or on worker threads (real time: a benchmark, and
 * a way to confirm a simulated finding), runs its checks and returns the report.
 */
import { relative, isAbsolute } from 'node:path';
import { Cluster } from '../cluster/cluster.js';
import { Errors } from '../protocol/errors.js';
import type { RoutingTable } from '../core/routing.js';
import { systemScheduler } from '../transport/scheduler.js';
import { Random } from '../sim/random.js';
import { notDeterministic } from '../sim/trace.js';
import type { TraceEvent } from '../sim/trace.js';
import { startSimulation } from '../simhost/start.js';
import { packageVersion } from '../cli/version.js';
import { planWorkload } from '../scenario/workload.js';
import { buildReport } from '../scenario/report.js';
import type { RunRecord, ScenarioReport } from '../scenario/report.js';
import type { ScenarioSpec } from '../scenario/spec.js';
import { play } from './drive.js';
import type { Clock } from './drive.js';
import { loadScenario } from './load.js';
import type { LoadedScenario } from './load.js';

/** How `runScenario` runs. */
export interface RunScenarioOptions {
  /** The seed (default: the scenario's). */
  readonly seed?: number;
  /** `sim` (virtual time, deterministic; the default) or `threads` (worker threads, real time). */
  readonly host?: 'sim' | 'threads';
  /** Where relative paths start. Default `process.cwd()`. */
  readonly cwd?: string;
  /** Called with every event of the simulation's trace once the run is over (sim only). */
  readonly onTrace?: (events: readonly TraceEvent[]) => void;
  /** Told how far the workload is, 0 to 1. */
  readonly onProgress?: (fraction: number) => void;
  /** Runs the simulation twice and rejects with KV_ERR_INTERNAL naming the first event that differs. */
  readonly checkDeterminism?: boolean;
}

/** Runs the scenario `input` (a file path, or the scenario itself) and resolves with its report. */
export async function runScenario(input: string | ScenarioSpec, options: RunScenarioOptions = {}): Promise<ScenarioReport> {
  return runLoaded(await loadScenario(input, options.cwd), options);
}

/** How a report names the replay: `kvmesh sim FILE --seed N`, the file as the user would type it. */
function replayOf(ls: LoadedScenario, seed: number, cwd: string): string | null {
  if (ls.file === undefined) return null;
  const rel = relative(cwd, ls.file);
  const shown = rel.startsWith('..') || isAbsolute(rel) ? ls.file : rel;
  return `kvmesh sim ${/^[\w./-]+$/.test(shown) ? shown : JSON.stringify(shown)} --seed ${seed}`;
}

/** @internal Runs a loaded scenario (the CLI's, the seed threads' and the shrinker's way in). */
export async function runLoaded(ls: LoadedScenario, options: RunScenarioOptions = {}): Promise<ScenarioReport> {
  const seed = options.seed ?? ls.scenario.seed;
  if (!Number.isSafeInteger(seed)) throw Errors.badArgument(`runScenario: seed must be a safe integer, received ${String(seed)}`);
  const cwd = options.cwd ?? process.cwd();
  const wall = systemScheduler.now();
  let record: RunRecord;
  let traceHash: string | null = null;
  if (options.host === 'threads') record = await onThreads(ls, seed, options);
  else {
    const runs = options.checkDeterminism === true ? 2 : 1;
    const traces: (readonly TraceEvent[])[] = [];
    const hashes: string[] = [];
    let first: RunRecord | undefined;
    for (let i = 0; i < runs; i++) {
      const keep = runs === 2 || options.onTrace !== undefined;
      const run = await onSimulation(ls, seed, keep, i === 0 ? options.onProgress : undefined);
      first ??= run.record;
      hashes.push(run.hash);
      traces.push(run.trace);
    }
    if (hashes.length === 2 && hashes[0] !== hashes[1]) throw notDeterministic(traces[0] ?? [], traces[1] ?? []);
    if (options.onTrace !== undefined) options.onTrace(traces[0] ?? []);
    record = first as RunRecord;
    traceHash = hashes[0] ?? null;
  }
  const meta = { kvmesh: packageVersion(), file: ls.file ?? null, seed, host: options.host ?? 'sim', traceHash, wallMs: systemScheduler.now() - wall, replay: replayOf(ls, seed, cwd) } as const;
  const checking = systemScheduler.now();
  const report = buildReport(ls.scenario, record, meta);
  return { ...report, checkMs: Number((systemScheduler.now() - checking).toFixed(1)) };
}

/** The workload of `ls` on its configured tables, from `seed`. */
function workloadOf(ls: LoadedScenario, seed: number) {
  const { settings } = ls.loaded;
  const tables = new Map<string, RoutingTable>(settings.nodes.map((n) => [n.name, n.table]));
  return planWorkload(
    ls.scenario,
    tables,
    settings.nodes.map((n) => n.name),
    settings.hopLimit,
    new Random(seed).fork('scenario workload'),
  );
}

async function onSimulation(ls: LoadedScenario, seed: number, keepTrace: boolean, progress: ((f: number) => void) | undefined): Promise<{ record: RunRecord; hash: string; trace: readonly TraceEvent[] }> {
  const workload = workloadOf(ls, seed);
  const { world, cluster } = await startSimulation({ config: ls.config, seed, keepTrace });
  const clock: Clock = {
    now: () => world.now(),
    until: (t) => world.sleep(Math.max(0, t - world.now())),
    drive: (p, withinMs) => world.drive(p, withinMs === undefined ? {} : { withinMs }),
  };
  let record: RunRecord;
  try {
    record = await play(cluster, clock, ls.scenario, workload, ls.loaded.settings.hopLimit, progress);
  } finally {
    await world.drive(cluster.close());
  }
  // The trace and its hash include the close: the run, all of it.
  return { record, hash: world.traceHash(), trace: world.trace() };
}

async function onThreads(ls: LoadedScenario, seed: number, options: RunScenarioOptions): Promise<RunRecord> {
  const workload = workloadOf(ls, seed);
  // No TCP servers: the load goes through the API, so a scenario runs beside `kvmesh start`.
  const settings = { ...ls.loaded.settings, nodes: ls.loaded.settings.nodes.map((n) => ({ ...n, port: undefined })) };
  const cluster = await Cluster.start({ ...ls.loaded, settings });
  const t0 = systemScheduler.now();
  const clock: Clock = {
    now: () => systemScheduler.now() - t0,
    until: (t) => new Promise((resolve) => systemScheduler.after(Math.max(0, t - clock.now()), resolve)),
    drive: (p) => p,
  };
  try {
    return await play(cluster, clock, ls.scenario, workload, settings.hopLimit, options.onProgress);
  } finally {
    await cluster.close();
  }
}
