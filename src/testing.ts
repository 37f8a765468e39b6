/**
 * `kvmesh/testing`: the cluster under a deterministic simulation. The same node code, supervisor
 * and cluster facade as `startCluster`, run in this one thread on virtual time with a seeded
 * network: every delivery, control call and timer is an event of one queue, so the same config,
 * seed and test code give the same trace, byte for byte, and a run replays from its seed.
 */
import type { Cluster } from './cluster/cluster.js';
import { Task } from './cluster/task.js';
import { ProcessHandle } from './cluster/process-handle.js';
import type { OutputOptions } from './cluster/cluster.js';
import { KvClient } from './client.js';
import type { KvConfig } from './core/config.js';
import type { SimWorld } from './sim/world.js';
import { notDeterministic } from './sim/trace.js';
import type { TraceEvent } from './sim/trace.js';
import { startSimulation } from './simhost/start.js';

export type { TraceEvent } from './sim/trace.js';
export { runScenario } from './scenariorun/run.js';
export type { RunScenarioOptions } from './scenariorun/run.js';
export type { ScenarioReport } from './scenario/report.js';
export type { ScenarioSpec } from './scenario/spec.js';
export type { LinkSettings } from './transport/faults.js';
export type { Faults } from './cluster/cluster.js';

/** Options of `simulate` (`stdout`, `labelOutput`: where processes' output goes, as for `startCluster`). */
export interface SimulateOptions extends OutputOptions {
  /** The configuration, as `startCluster` takes it (an object, or a file path). */
  readonly config: KvConfig | string;
  /** The seed of every random choice of the run (network delays, drops, duplicates). Default 1. */
  readonly seed?: number;
  /** Where a relative config path starts. Default: `process.cwd()`. */
  readonly cwd?: string;
  /** Keep every trace event (default), or only the hash and the count (long runs). */
  readonly keepTrace?: boolean;
}

/** What a simulation adds to a cluster (whose `faults`, `pause` and `resume` work as on threads, in virtual time). */
export interface SimulationControls {
  /** Advances virtual time by `ms`, running every event due. */
  sleep(ms: number): Promise<void>;
  /** Virtual ms since the start. */
  now(): number;
  /** Every event so far: `{ t, kind, from, to, what }`. */
  trace(): readonly TraceEvent[];
  /** A digest (SHA-256, hex) of the whole trace. */
  traceHash(): string;
  /** The seed of this run. */
  readonly seed: number;
}

/** A cluster under simulation: every method of `Cluster` works, and resolves in virtual time. */
export type Simulation = Cluster & SimulationControls;

/** Starts `config`'s cluster under a deterministic simulation seeded with `seed`. */
export async function simulate(options: SimulateOptions): Promise<Simulation> {
  const { world, cluster, seed } = await startSimulation(options);
  const controls: SimulationControls = {
    seed,
    sleep: (ms) => world.sleep(ms),
    now: () => world.now(),
    trace: () => world.trace(),
    traceHash: () => world.traceHash(),
  };
  return driven(world, cluster, controls) as Simulation;
}

/** Methods whose promise may be left unawaited (a failure is reported as `taskerror`): no unhandled rejection for them. */
const UNAWAITED = new Set<string | symbol>(['spawn', 'spawnLink', 'spawnMonitor']);

/** `target` with every method's promise driven by the world; clients, tasks and the app's process it returns too. */
function driven<T extends object>(world: SimWorld, target: T, extra: object = {}, seen = new WeakMap<Promise<unknown>, Promise<unknown>>()): T {
  const wrap = (value: unknown): unknown => {
    if (value instanceof Promise) {
      // The same promise (a second close()) is driven once: callers get the same promise back.
      let p = seen.get(value);
      if (p === undefined) seen.set(value, (p = world.drive(value).then(wrap)));
      return p;
    }
    if (value instanceof KvClient || value instanceof Task || value instanceof ProcessHandle) return driven(world, value, {}, seen);
    return value;
  };
  return new Proxy(target, {
    get(obj, prop) {
      if (Object.hasOwn(extra, prop)) return (extra as Record<string | symbol, unknown>)[prop];
      const value: unknown = Reflect.get(obj, prop, obj);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const result = wrap((value as (...a: unknown[]) => unknown).apply(obj, args));
        if (UNAWAITED.has(prop) && result instanceof Promise) result.catch(() => undefined);
        return result;
      };
    },
  });
}

/**
 * Runs `scenario` twice on simulations of the same options and compares their traces; rejects
 * naming the first event that differs (what broke determinism: a `Date.now`, a real timer, a
 * `Math.random` in user code). Resolves with the trace hash.
 */
export async function checkDeterminism(options: SimulateOptions, scenario: (sim: Simulation) => Promise<void>): Promise<string> {
  const traces: (readonly TraceEvent[])[] = [];
  const hashes: string[] = [];
  for (let run = 0; run < 2; run++) {
    const sim = await simulate({ ...options, keepTrace: true });
    try {
      await scenario(sim);
    } finally {
      await sim.close();
    }
    traces.push(sim.trace());
    hashes.push(sim.traceHash());
  }
  if (hashes[0] === hashes[1]) return hashes[0] as string;
  throw notDeterministic(traces[0] ?? [], traces[1] ?? []);
}
