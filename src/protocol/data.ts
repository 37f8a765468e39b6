/**
 * The data shapes that cross threads inside messages (a node's settings, routing tables, byte
 * strings): defined here, at the bottom, so the wire protocol depends on nothing above it.
 * `core/` validates and computes with them, and re-exports them.
 */

/** A string whose every char is one byte (0-255). */
export type Bytes = string;

/** One entry of a table: bytes `from`..`to` (both included) are owned by `node`. */
export interface RouteEntry {
  readonly from: number;
  readonly to: number;
  readonly node: string;
}

/** A table of the guide's byte ranges: entries in order, the first that covers a bucket's first byte wins. */
export type RangeTable = readonly RouteEntry[];

/** One entry of a slots table: hash slots `from`..`to` (both included, 0-16383) are owned by `node`. */
export interface SlotEntry {
  readonly from: number;
  readonly to: number;
  readonly node: string;
}

/** A hash-slots table (Redis Cluster): a bucket's slot is CRC16 of its name (or its hash tag) mod 16384. */
export interface SlotsTable {
  readonly slots: readonly SlotEntry[];
}

/**
 * A consistent-hash ring of `size` (a power of two) equal partitions of a 32-bit hash of the
 * bucket name; `owners[p]` owns partition p. `nodes`: the nodes that claimed it, in claim order.
 */
export interface RingTable {
  readonly ring: { readonly size: number; readonly nodes: readonly string[]; readonly owners: readonly string[] };
}

/** A routing table, in one of three forms (partitioners): byte ranges (an array), hash slots, or a ring. */
export type RoutingTable = RangeTable | SlotsTable | RingTable;

/** How a node is restarted after it dies (OTP restart intensity): never, or while it dies at most `maxRestarts` times within `withinMs`. */
export type RestartSpec = 'never' | { readonly maxRestarts: number; readonly withinMs: number };

/** A node thread's memory limits (Node's `resourceLimits`), MB each, 1 to 65536. */
export interface ResourceLimits {
  /** The main heap's limit. */
  readonly maxOldGenerationSizeMb?: number;
  /** The heap space for recently created objects. */
  readonly maxYoungGenerationSizeMb?: number;
  /** The thread's stack size. */
  readonly stackSizeMb?: number;
}

/** A node's Redis protocol (RESP) server after validation. */
export interface RespSettings {
  /** 0: any free port (the bound one is in `cluster.respPorts`). */
  readonly port: number;
  readonly host: string;
  /** Redis Cluster mode: keys this node does not own get `-MOVED`, and `CLUSTER SLOTS` and the rest describe the nodes. */
  readonly cluster: boolean;
  /** The bucket of a string key without `:` (byte string). */
  readonly defaultBucket: Bytes;
}

/** A node after validation, with defaults filled in. */
export interface NodeSettings {
  readonly name: string;
  readonly table: RoutingTable;
  readonly port: number | undefined;
  readonly host: string;
  readonly storage: boolean;
  readonly maxConnections: number | undefined;
  readonly restart: RestartSpec;
  readonly resourceLimits: ResourceLimits | undefined;
  /** Serve the Redis protocol too (absent: no RESP server). */
  readonly resp?: RespSettings;
  /** The user modules this node loads, by name; undefined: every one. */
  readonly modules?: readonly string[];
}

/** A user module after validation. */
export interface ModuleSettings {
  readonly name: string;
  readonly path: string;
  readonly cpu: boolean;
}

/** A validated configuration. */
export interface Settings {
  readonly nodes: readonly NodeSettings[];
  readonly modules: readonly ModuleSettings[];
  readonly hopLimit: number;
  readonly timeout: number;
  readonly maxLineLength: number;
  /** Bytes of replies a TCP connection may have waiting before it stops reading (backpressure). */
  readonly maxReplyBytes: number;
  readonly heartbeatMs: number;
  /** Processes a node may run at once. */
  readonly maxProcesses: number;
  /** Messages a process's mailbox may hold. */
  readonly maxMailbox: number;
}

/**
 * One recorded request, as it entered the cluster: [time in ms (the node's clock: real, or
 * virtual in a simulation), the entry node (an index into `TrafficLog.nodes`), the op (`c`reate,
 * `g`et, `p`ut, `d`elete, `a`pply routed by bucket), the bucket, a 32-bit hash of the key (0 for
 * none), the key's bytes, the value's bytes].
 */
export type TrafficRecord = readonly [t: number, entry: number, op: string, bucket: Bytes, key: number, keyBytes: number, valueBytes: number];

/** A traffic log (`cluster.record()`, `kvmesh start --record`): what entered where, in time order. */
export interface TrafficLog {
  readonly kvmeshTraffic: 1;
  readonly clock: 'real' | 'virtual';
  readonly nodes: readonly string[];
  readonly records: readonly TrafficRecord[];
  /** Requests not kept: a node keeps at most a million records per recording. */
  readonly dropped?: number;
}
