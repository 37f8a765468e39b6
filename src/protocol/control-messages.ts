/**
 * What is not the data plane: what a node thread is started with and tells its supervisor
 * (lifecycle), what client threads are told, the faults, the control API a node exposes over
 * comlink, and the CPU pool's tasks. Defined once for every thread; re-exported by messages.ts.
 */
import type { MessagePort } from 'node:worker_threads';
import type { Bytes, RoutingTable, Settings, TrafficRecord } from './data.js';
import type { WireError } from './errors.js';

/** Each node's routing table, by node name. */
export type Tables = Record<string, RoutingTable>;

/** What a node thread is started with (its `workerData`). */
export interface NodeInit {
  readonly name: string;
  /** This node's link index; nodes are 0..n-1 in config order, clients come after. */
  readonly index: number;
  readonly settings: Settings;
  readonly tables: Tables;
  /** Data-plane ports: one per other node, one per client. */
  readonly links: readonly { readonly index: number; readonly port: MessagePort }[];
  /** The control channel, where the node exposes its `NodeControl`. */
  readonly control: MessagePort;
  /** Shared memory where a worker-thread node counts its event-loop turns (the supervisor's heartbeat reads it). */
  readonly beat?: Int32Array;
  /** Which life of the node this is (0, then its restarts): the last number of its pids. */
  readonly creation?: number;
}

/** What a node thread tells its supervisor on its parent port. */
export type Lifecycle =
  /** Started; `port` is the TCP port it serves (the actual one when configured as 0), `respPort` its RESP server's. */
  | { type: 'ready'; port?: number; respPort?: number }
  | { type: 'failed'; error: WireError }
  /** A spawn from this node that failed, or a process of this node whose function threw (`node`: where it ran, or was to run). */
  | { type: 'spawn-failed'; node: string; mod: string; fun: string; arity: number; error: WireError };

/** Counters a node reports. */
export interface NodeStats {
  readonly name: string;
  readonly buckets: number;
  readonly keys: number;
  readonly requests: number;
  readonly forwarded: number;
  readonly tasks: number;
  /** Processes alive on the node now. */
  readonly processes: number;
  /** The version of the tables this node routes with (`cluster.tableVersion` once every node has them). */
  readonly tableVersion: number;
  /** Data-plane frames (postMessage calls) and messages this node has sent. */
  readonly frames: number;
  readonly messages: number;
  /** Frames this node's faults dropped, duplicated and delayed, by the node (or `client`) they were sent to. */
  readonly faults: Readonly<Record<string, { readonly dropped: number; readonly duplicated: number; readonly delayed: number }>>;
}

/**
 * What another thread needs to talk to the cluster as a client (`Cluster.attachClient()`):
 * one data port per node, all transferable, the link index the nodes know it by, and the
 * supervisor's channel to it, where it learns of nodes going down and coming back.
 */
export interface ClientAttachment {
  readonly index: number;
  readonly nodes: readonly string[];
  /** Indexed like `nodes`; `null` for a node that was down (it is linked when it comes up). */
  readonly ports: readonly (MessagePort | null)[];
  readonly timeout: number;
  readonly tables: Tables;
  /** Carries `ClientNotice`s from the supervisor; closing it detaches the client. */
  readonly control: MessagePort;
}

/** What the supervisor tells an attached client thread. */
export type ClientNotice =
  /** Node `index` is gone: requests sent or forwarded to it settle with KV_ERR_NODE_DOWN. */
  | { type: 'down'; index: number }
  /** Node `index` is up again (restarted): its new data port. */
  | { type: 'link'; index: number; port: MessagePort }
  /** The tables changed (timeouts name the owner a request waited on). */
  | { type: 'tables'; tables: Tables };

/**
 * A node asking the supervisor, the one writer of the tables, to replace its own table
 * (`Application.put_env(:kv, :routing_table, …)`): sent as an `apply` on the node's link to
 * the main thread, answered with the table as checked, or the error that refused it.
 */
export const PUT_TABLE = { mod: 'kvmesh.Supervisor', fun: 'put_table' } as const;

/** A node asking the supervisor where every node serves RESP now (its Redis Cluster view): answered with `{ node: port }` of the nodes up and serving. */
export const RESP_PORTS = { mod: 'kvmesh.Supervisor', fun: 'resp_ports' } as const;

/** The settings of one direction of a link. */
export interface LinkSettings {
  /** One-way delay, ms. */
  readonly delayMs: number;
  /** Extra delay, uniform in [0, jitterMs), drawn per frame (frames then overtake each other). */
  readonly jitterMs: number;
  /** Probability that a frame is lost. */
  readonly drop: number;
  /** Probability that a frame is delivered twice (the copy one delay later). */
  readonly duplicate: number;
}

/** The faults of a network, by direction `from→to` (node names, or `client`). Plain data: it crosses threads. */
export interface FaultSpec {
  /** Cut directions. */
  readonly cut: readonly string[];
  /** Settings changed from the host's default, per direction. */
  readonly links: Readonly<Record<string, Partial<LinkSettings>>>;
}

/** What a node holds: each bucket with its number of keys and its bytes (keys and values; 0 when not asked). */
export type Inventory = readonly (readonly [bucket: Bytes, keys: number, bytes: number])[];

/**
 * The supervisor's commands for plans, traffic recording and live resharding, on one control
 * method (`NodeControl.command`) so that every host forwards them alike; `NodeAnswers` types each answer.
 */
export type NodeCommand =
  /** The buckets this node holds, with their keys, and their bytes when `bytes` (which reads every key). */
  | { readonly type: 'inventory'; readonly bytes: boolean }
  /** Starts recording the requests that enter here (`on`), or stops; either way answers what was recorded since the last answer. */
  | { readonly type: 'record'; readonly on: boolean }
  /** The nodes by link index now (a node joined): every name, those that left included (their indexes are never reused). */
  | { readonly type: 'nodes'; readonly names: readonly string[] }
  /**
   * A live move (`cluster.reshard`), step by step, every node taking part: `begin` lays the move
   * `id` over this node's table (the buckets its table keeps that `next` gives to another node move
   * out; those `next` gives it move in) and starts tracking writes to the buckets moving out; `chunk`
   * gives the next part of their snapshot, `delta` what changed since; `import` applies items here;
   * `fence` holds requests for the buckets moving out and gives the last delta; `own` serves those
   * moving in; `release` forwards the held requests (and later ones) to the new owners; `abort`
   * undoes the move (held requests are served here); `end` drops the overlay and the buckets moved out.
   */
  | { readonly type: 'move-begin'; readonly id: number; readonly next: Tables }
  | { readonly type: 'move-chunk'; readonly id: number; readonly max: number }
  | { readonly type: 'move-delta'; readonly id: number }
  | { readonly type: 'move-import'; readonly id: number; readonly items: readonly MoveItem[] }
  | { readonly type: 'move-fence'; readonly id: number }
  | { readonly type: 'move-own'; readonly id: number }
  | { readonly type: 'move-release'; readonly id: number }
  | { readonly type: 'move-abort'; readonly id: number }
  | { readonly type: 'move-end'; readonly id: number };

/**
 * Part of a bucket on its way to node `to` (a link index): `count` keys and their values packed in
 * `entries` (`move-pack.ts`; a deleted key has no value). `flag`: 0 the bucket's data, 1 it begins here
 * (replace what the target has), 2 it is gone (stopped at its source).
 */
export type MoveItem = readonly [to: number, bucket: Bytes, flag: 0 | 1 | 2, count: number, entries: string];

/** The answer to each `NodeCommand`, by its type. */
export interface NodeAnswers {
  inventory: Inventory;
  record: { records: TrafficRecord[]; dropped: number };
  nodes: null;
  'move-begin': { buckets: number; keys: number };
  'move-chunk': { items: MoveItem[]; done: boolean; bytes: number };
  'move-delta': MoveItem[];
  'move-import': null;
  'move-fence': MoveItem[];
  'move-own': null;
  'move-release': { held: number };
  'move-abort': null;
  'move-end': { dropped: number };
}

/** The control API a node exposes (over comlink, on its own channel, where `P` is a MessagePort). */
export interface NodeControl<P = MessagePort> {
  /** Answers at once; the supervisor's liveness probe. */
  ping(): number;
  /** Replaces every node's table as this node knows them (its own routes with `tables[name]`), at the supervisor's `version` of them. */
  setTables(tables: Tables, version?: number): void;
  /** Attaches (or replaces) the data-plane port of link `index`. */
  link(index: number, port: P): void;
  /** Link `index`'s node is gone: drops the link; what this node sent or forwarded to it settles with KV_ERR_NODE_DOWN at its originator. */
  unlink(index: number): void;
  /** The network's faults now: this node applies those of the directions from it when it sends. */
  setFaults(spec: FaultSpec): void;
  /** Counters. */
  stats(): NodeStats;
  /** Runs a command of the supervisor (plans, recording, resharding). */
  command<C extends NodeCommand>(cmd: C): NodeAnswers[C['type']] | Promise<NodeAnswers[C['type']]>;
  /** Stops servers, pools and ports; pending requests of this node reject with `reason`. */
  stop(reason: WireError): Promise<void>;
}

/** What the worker-thread host adds to a node's control API. */
export interface HostControl {
  /** Blocks the node's thread (its messages wait) until `flag[0]` becomes non-zero; answers first. */
  pause(flag: SharedArrayBuffer): void;
}

/** One call run in a node's CPU pool (piscina). */
export interface TaskRun {
  readonly node: string;
  readonly mod: string;
  readonly path: string;
  readonly fun: string;
  readonly args: unknown[];
  /** `this.nodes()` and the environment of `this.getEnv` as they were when the call started. */
  readonly nodes: readonly string[];
  readonly env: Readonly<Record<string, unknown>>;
  /** Transferred: the task's `this.route`/`call`/`spawn` go through its node on it (`TaskAsk`, `TaskAnswer`); closed when the task ends. */
  readonly port: MessagePort;
}

/** A pool task asking its node to run one of its context functions; `id` -1 for `send` and `puts`, which get no answer. */
export interface TaskAsk {
  readonly id: number;
  readonly fn: 'route' | 'call' | 'spawn' | 'whereis' | 'send' | 'puts';
  readonly args: unknown[];
}

/** The node's answer to a `TaskAsk`. */
export type TaskAnswer = { readonly id: number; readonly ok: true; readonly value: unknown } | { readonly id: number; readonly ok: false; readonly error: WireError };

/** Its outcome: piscina drops an error's `code`, so errors come back as data. */
export type TaskResult = { ok: true; value: unknown } | { ok: false; error: WireError };
