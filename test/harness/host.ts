/**
 * What the shared behaviour suite needs of a host of nodes (design.md, style rule 6): the
 * cluster API every host honours, the supervised part only some have, and what each host can do.
 */
import type { Cluster, KvConfig, OutputStream } from '../../src/index.js';

/** The API every host honours: clients, calls and tasks, tables, stats, events (`taskerror`, and what the host emits), close. */
export type ClusterUnderTest = Pick<Cluster, 'nodes' | 'client' | 'call' | 'async' | 'routingTable' | 'setRoutingTable' | 'stats' | 'close' | ProcessMethods> & {
  // Cluster's own overloads return `this` as a Cluster, which no other host is; the payloads are typed where listened to.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a listener typed for any one event must fit
  on(event: string, listener: (...args: any[]) => void): unknown;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as for on()
  once(event: string, listener: (...args: any[]) => void): unknown;
};

/** The process API: the same on every host. */
type ProcessMethods = 'spawn' | 'spawnLink' | 'spawnMonitor' | 'self' | 'send' | 'exit' | 'callServer' | 'whereis' | 'processes';

/** A host with a supervisor: kills, restarts and their events, status, faults, pause and resume. */
export type SupervisedCluster = ClusterUnderTest & Pick<Cluster, 'kill' | 'status' | 'faults' | 'pause' | 'resume'>;

/** What a host can do beyond `ClusterUnderTest`; a case that needs what a host lacks is skipped there, its reason in its title. */
export interface Capabilities {
  /** A supervisor: `kill`, `status`, `nodedown`/`nodeup`, `pause`/`resume`, and the tables a node sets itself (`Application.put_env`). */
  readonly supervision: boolean;
  /** `cluster.faults`. */
  readonly faults: boolean;
  /**
   * `stats(node).faults` counts what the node's faults did. False in a simulation: its network,
   * not the sending node, applies the faults (and traces them), so a node's counters stay empty.
   */
  readonly faultCounters: boolean;
  /** `close()` returns the same promise every time (a simulation wraps each call's promise anew). */
  readonly sameClosePromise: boolean;
}

/** One started cluster with its host's clock and its way of waiting. */
export interface Started<C extends ClusterUnderTest = ClusterUnderTest> {
  readonly cluster: C;
  /** Ms on the clock the cluster's deadlines use (virtual in a simulation). */
  now(): number;
  /** `promise`, or a rejection naming `what` after `ms` on that clock (a simulation runs its events meanwhile). */
  settle<T>(promise: Promise<T>, ms: number, what: string): Promise<T>;
}

/** A way of hosting the nodes of a config. */
export interface Host {
  /** How the suite's titles name it. */
  readonly label: string;
  readonly capabilities: Capabilities;
  /** Whether time is virtual: deadlines are then asserted exactly, where real time can only bound them. */
  readonly virtualTime: boolean;
  /** At most this many of its cases at once (worker threads: dozens of clusters starting together starve a small machine). */
  readonly concurrency?: number;
  /** Starts the nodes of `config` (module paths absolute, or relative to test/fixtures); processes write to `stdout`. */
  start(config: KvConfig, stdout: OutputStream): Promise<Started>;
}

/** `settle` on a real clock: a deadline race, its timer cleared either way. */
export function settleOnRealTime<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}
