/**
 * The configuration as users write it (`kvrc.json`): its types with their documentation, the
 * defaults, and the keys each object may have. Pure.
 */
import type { ResourceLimits } from '../protocol/data.js';

/** A table entry as written: `"a-m"`, `"a"` or `[97, 109]` (both ends included), and the node that bytes in it go to. */
export interface RouteEntrySpec {
  readonly range: string | readonly [number, number];
  readonly node: string;
}

/** How a node is restarted, as written: `"permanent"` (the default intensity), `"never"`, or at most `maxRestarts` within `withinMs`. */
export type RestartConfig = 'permanent' | 'never' | { readonly maxRestarts?: number; readonly withinMs?: number };

/** An entry of a hash-slots table as written: slots `"0-8191"`, `"5"`, `5` or `[0, 8191]` (0-16383, both ends included), and their node. */
export interface SlotEntrySpec {
  readonly slots: string | number | readonly [number, number];
  readonly node: string;
}

/**
 * A routing table as written: the guide's byte ranges (an array); hash slots
 * (`{ slots: [{ slots: "0-8191", node: "foo" }] }`, CRC16 of the bucket name as Redis Cluster);
 * or a consistent-hash ring (`{ ring: { size: 64, nodes: ["foo", "bar"] } }`, claimed by the nodes in order, or with its `owners`).
 */
export type TableSpec = readonly RouteEntrySpec[] | { readonly slots: readonly SlotEntrySpec[] } | { readonly ring: { readonly size: number; readonly nodes: readonly string[]; readonly owners?: readonly string[] } };

/** Per-node settings as written (`nodes.X` of `kvrc.json`). */
export interface NodeConfig {
  /** This node's own table, replacing the default. Default: the top-level `routingTable`. */
  readonly routingTable?: TableSpec;
  /** Serve the TCP protocol on this port (0 = any free port). Default: no server. */
  readonly port?: number;
  /** The address the TCP server listens on. Default `127.0.0.1`. */
  readonly host?: string;
  /** `false`: a front end holding no buckets (its table must not name itself). Default `true`. */
  readonly storage?: boolean;
  /** TCP clients served at once. Default: no limit. */
  readonly maxConnections?: number;
  /** Serve the Redis protocol (RESP2/RESP3) too: `{ port, host, cluster, defaultBucket }`. Default: no RESP server. */
  readonly resp?: RespConfig;
  /** The user modules this node loads, by name (the guide's nodes compiled with different code): a call to another is KV_ERR_UNDEFINED_FUNCTION there. Default: every module of `modules`. Built-ins are always there. */
  readonly modules?: readonly string[];
  /** Restart intensity. Default: 3 restarts in 5 s. */
  readonly restart?: RestartConfig;
  /** The thread's memory limits (Node's `resourceLimits`, MB). Default: none. */
  readonly resourceLimits?: ResourceLimits;
}

/** A node's Redis protocol server, as written (`nodes.X.resp`). */
export interface RespConfig {
  /** The port (0 = any free port). Default 0. */
  readonly port?: number;
  /** The address it listens on. Default: the node's `host`, else `127.0.0.1`. */
  readonly host?: string;
  /** Redis Cluster mode (`MOVED`, `CLUSTER SLOTS`…). Default `false`: any node answers any key, forwarding inside kvmesh. */
  readonly cluster?: boolean;
  /** The bucket of a string key without `:`. Default `"default"`. */
  readonly defaultBucket?: string;
}

/** A user module: a path (relative to the config file), or a path marked CPU-bound (run in a thread pool). */
export type ModuleConfig = string | { readonly path: string; readonly cpu?: boolean };

/** The configuration as written in `kvrc.json` (readonly: an `as const` object is accepted). */
export interface KvConfig {
  /** The JSON Schema of the file, for editors (`node_modules/kvmesh/schema/kvrc.schema.json`); ignored. */
  readonly $schema?: string;
  /** The default table: byte ranges (entries in order, the first covering the bucket's first byte wins), hash slots or a ring. Default `[]` (routes nothing). */
  readonly routingTable?: TableSpec;
  /** `{ name: settings }` in order, or an array of names / `{ name, … }`; at least one. */
  readonly nodes: Readonly<Record<string, NodeConfig>> | readonly (string | (NodeConfig & { readonly name: string }))[];
  /** `{ Name: "path.js" }` or `{ Name: { path, cpu } }`, paths relative to the config file. Default `{}`. */
  readonly modules?: Readonly<Record<string, ModuleConfig>>;
  /** Forwards allowed per request (0 to 1000). Default 16. */
  readonly hopLimit?: number;
  /** Request deadline, ms (1 to 2147483647). Default 5000. */
  readonly timeout?: number;
  /** Longest TCP request line, bytes (16 to 2^30). Default 1048576. */
  readonly maxLineLength?: number;
  /** Reply bytes a TCP connection may hold and buffer before it stops reading its client (1024 to 2^30). Default 4194304. */
  readonly maxReplyBytes?: number;
  /** A node silent this long is killed and restarted, ms (10 to 2147483647). Default 2000. */
  readonly heartbeatMs?: number;
  /** Processes one node may run at once (1 to 16777216): a spawn past it is KV_ERR_TOO_MANY_PROCESSES. Default 262144. */
  readonly maxProcesses?: number;
  /** Messages one process's mailbox may hold (1 to 16777216): one more kills it (reason KV_ERR_MAILBOX_FULL). Default 100000. */
  readonly maxMailbox?: number;
}

/** The longest wait a timer can express (about 24.8 days); Node turns anything longer into 1 ms. */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** Defaults of the settings that have one. */
export const defaults = {
  hopLimit: 16,
  timeout: 5000,
  maxLineLength: 1024 * 1024,
  maxReplyBytes: 4 * 1024 * 1024,
  heartbeatMs: 2000,
  maxProcesses: 262_144,
  maxMailbox: 100_000,
  host: '127.0.0.1',
  respDefaultBucket: 'default',
  restart: { maxRestarts: 3, withinMs: 5000 },
} as const;

/** The keys each object of a config may have, in the order errors list them (schema/kvrc.schema.json has the same: a test compares). */
export const CONFIG_KEYS = {
  top: ['routingTable', 'nodes', 'modules', 'hopLimit', 'timeout', 'maxLineLength', 'maxReplyBytes', 'heartbeatMs', 'maxProcesses', 'maxMailbox', '$schema'],
  node: ['routingTable', 'port', 'host', 'storage', 'maxConnections', 'restart', 'resourceLimits', 'resp', 'modules'],
  resp: ['port', 'host', 'cluster', 'defaultBucket'],
  // Tables read back from a node ({ from, to, node }) are accepted as written.
  entry: ['range', 'node', 'from', 'to'],
  slotsTable: ['slots'],
  slotEntry: ['slots', 'node', 'from', 'to'],
  ringTable: ['ring'],
  ring: ['size', 'nodes', 'owners'],
  restart: ['maxRestarts', 'withinMs'],
  resourceLimits: ['maxOldGenerationSizeMb', 'maxYoungGenerationSizeMb', 'stackSizeMb'],
  module: ['path', 'cpu'],
} as const;
