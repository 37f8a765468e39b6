/**
 * A change's next state as the cluster reads it: the configuration (an object or a file path, as
 * `startCluster` takes), validated, with rings claimed against the ring in force; and each side of
 * a change as a plan sees it.
 */
import type { KvConfig, Settings } from '../core/config.js';
import type { RoutingTable } from '../core/routing.js';
import { claimAgainst } from '../plan/next.js';
import type { Side } from '../plan/plan.js';
import { loadConfig } from './load-config.js';
import type { LoadedConfig } from './load-config.js';

/** Loads `next` (relative paths from `cwd`), its rings claimed from `current`'s. Throws KV_ERR_BAD_CONFIG. */
export function loadNext(next: KvConfig | string, current: ReadonlyMap<string, RoutingTable>, cwd?: string): Promise<LoadedConfig> {
  return loadConfig(next, cwd, (raw) => claimAgainst(raw, current));
}

/** One side of a change: `settings`' nodes, with `tables` (default: those of the settings). */
export function sideOf(settings: Settings, tables: ReadonlyMap<string, RoutingTable> = new Map(settings.nodes.map((n) => [n.name, n.table]))): Side {
  return { nodes: settings.nodes.map((n) => n.name), tables, hopLimit: settings.hopLimit };
}
