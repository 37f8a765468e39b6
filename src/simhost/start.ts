/**
 * Starting a cluster under simulation: the config loaded and its modules imported before time
 * starts, then a world, a seeded network and the simulation host, and the same `Cluster` as on
 * threads started on them. `kvmesh/testing`'s `simulate` wraps what this returns so that every
 * promise is driven; the scenario runner drives the world itself.
 */
import { Cluster } from '../cluster/cluster.js';
import type { OutputOptions } from '../cluster/cluster.js';
import { loadConfig } from '../cluster/load-config.js';
import type { KvConfig } from '../core/config.js';
import { loadModules } from '../node/modules.js';
import { SimWorld } from '../sim/world.js';
import { SimNetwork } from '../sim/network.js';
import { Random } from '../sim/random.js';
import { simHost } from './host.js';
import { describeFrame } from './describe.js';

/** What a simulation starts from (`stdout`, `labelOutput`: where processes' output goes, as for `startCluster`). */
export interface SimStart extends OutputOptions {
  /** The configuration, as `startCluster` takes it (an object, or a file path). */
  readonly config: KvConfig | string;
  /** The seed of every random choice of the run (network delays, drops, duplicates). Default 1. */
  readonly seed?: number;
  /** Where a relative config path starts. Default: `process.cwd()`. */
  readonly cwd?: string;
  /** Keep every trace event (default), or only the hash and the count (long runs). */
  readonly keepTrace?: boolean;
}

/** A started simulation: its world (time, events, trace) and its cluster, whose promises settle only while the world is driven. */
export interface StartedSimulation {
  readonly world: SimWorld;
  readonly cluster: Cluster;
  readonly seed: number;
}

/** Starts `options.config`'s cluster under a deterministic simulation seeded with `options.seed`. */
export async function startSimulation(options: SimStart): Promise<StartedSimulation> {
  const seed = options.seed ?? 1;
  if (!Number.isSafeInteger(seed)) throw new TypeError(`simulate: seed must be an integer, received ${String(seed)}`);
  const loaded = await loadConfig(options.config, options.cwd);
  // Loaded once, before time starts: an import resolving between two events would break replay.
  const modules = await loadModules(loaded.settings.modules);
  let crash: (owner: string, error: unknown) => void = () => undefined;
  const world = new SimWorld({ keepTrace: options.keepTrace ?? true, onError: (owner, error) => crash(owner, error) });
  const random = new Random(seed);
  const net = new SimNetwork(world, random.fork('network'), { describe: describeFrame });
  const host = simHost(world, net, random, modules);
  crash = (owner, error) => host.crash(owner, error);
  const cluster = await world.drive(Cluster.start(loaded, host, options));
  return { world, cluster, seed };
}
