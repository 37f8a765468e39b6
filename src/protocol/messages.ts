/**
 * Every message that crosses a thread, defined once for the main thread and the nodes.
 * Data plane: frames of requests and replies on raw MessagePorts. Lifecycle: what a node
 * thread tells its supervisor on its parent port. Control plane: the API a node exposes
 * over comlink on its own channel.
 */
import type { MessagePort } from 'node:worker_threads';
import type { Bytes, RoutingTable, Settings, TrafficRecord } from './data.js';
import type { WireError } from './errors.js';

/** What a request asks for. Ops with a `bucket` are routed; `apply` without one runs where it lands. */
export type Op = { op: 'create'; bucket: Bytes } | { op: 'get'; bucket: Bytes; key: Bytes } | { op: 'put'; bucket: Bytes; key: Bytes; value: Bytes } | { op: 'delete'; bucket: Bytes; key: Bytes } | { op: 'apply'; bucket?: Bytes; mod: string; fun: string; args: unknown[] };

/**
 * A request. `from` is the originator's link index: the owner replies straight to it, not
 * back along the chain. `hops` counts forwards; `path` names the nodes passed so far.
 */
export type Request = Op & { type: 'req'; id: number; from: number; hops: number; path?: string };

/** The answer to request `id`, sent to its originator. */
export type Reply = { type: 'ok'; id: number; value: unknown } | { type: 'err'; id: number; error: WireError };

/**
 * A batch: ops packed in one string (`src/protocol/batch.ts`). Each node routes every op with
 * its own table, runs its own ops, and forwards the rest grouped per owner as sub-batches.
 * `idx` (sub-batches only): the index of each op in the originator's batch, one char each.
 * `bucket` is never set: it lets code that looks at `req.bucket` treat a batch as unrouted.
 */
export interface BatchRequest {
  type: 'breq';
  id: number;
  from: number;
  hops: number;
  ops: string;
  idx?: string;
  path?: string;
  bucket?: undefined;
}

/** Results of batch `id` (or of a part of it): one packed field per op, in the order of `idx` (else of the batch). */
export interface BatchReply {
  type: 'bres';
  id: number;
  res: string;
  idx?: string;
}

/**
 * Sent by a node that forwarded request `id` of this originator (ops `idx` of a batch, or all of
 * it) to node `node` (a link index), which died before its deadline: the request may be lost,
 * so the originator settles it (those ops) with KV_ERR_NODE_DOWN naming that node.
 */
export interface Lost {
  type: 'lost';
  id: number;
  node: number;
  idx?: string;
}

/**
 * A process id, `#PID<node.id.creation>` (`creation` counts the node's restarts, so a pid of an
 * earlier life of a node reaches nobody): a string, so that a pid inside a message stays a pid
 * on the far side (a structured clone drops classes) and two pids compare with `===`.
 * The embedding app's own process is on node `client`.
 */
export type Pid = string;

/** A monitor reference, `#Ref<node.n.creation>`: unique in the cluster, compared with `===`. */
export type Ref = string;

/** A process registered under `name` on `node` (Erlang's `{name, node}`). */
export interface ServerName {
  readonly name: string;
  readonly node: string;
}

/**
 * A signal between processes (Erlang's signals), carried by the data plane to the thread of the
 * process it is for: a message (`to` a pid, or a name registered on the node it is sent to), a link or unlink, an exit signal (`link`: sent because a linked
 * process exited, else `exit(pid, reason)`), a monitor and its removal, a monitor's `down`, the
 * `reply` of a named server to a `callServer` waiting on `ref`, and output for a group leader.
 */
export type Signal =
  | { type: 'sig'; k: 'send'; to: Pid | ServerName; msg: unknown }
  | { type: 'sig'; k: 'link' | 'unlink'; from: Pid; to: Pid }
  | { type: 'sig'; k: 'exit'; from: Pid; to: Pid; reason: unknown; link: boolean }
  | { type: 'sig'; k: 'monitor' | 'demonitor'; from: Pid; to: Pid | ServerName; ref: Ref }
  | { type: 'sig'; k: 'down'; to: Pid; ref: Ref; pid: Pid | ServerName; reason: unknown }
  | { type: 'sig'; k: 'reply'; to: Pid; ref: Ref; value: unknown }
  | { type: 'sig'; k: 'io'; to: Pid; from: Pid; text: string };

/**
 * Requests to a node's processes ride the data plane as `apply` requests of this reserved module
 * (never listed among the modules): `spawn` (args `[mod, fun, args, SpawnOptions]`, answered with
 * the pid), `whereis` (`[name]`, answered with the pid or null) and `list` (`[]`, the `ProcessInfo`s).
 */
export const PROCESS_MODULE = 'kvmesh.Process';

/** How a process is spawned: its group leader, and the process it is linked to or monitored by from the start. */
export interface SpawnOptions {
  readonly leader: Pid;
  readonly link?: Pid;
  readonly monitor?: { readonly by: Pid; readonly ref: Ref };
}

/** One process as `cluster.processes(node)` lists it. */
export interface ProcessInfo {
  readonly pid: Pid;
  /** `Module.fun/arity` it runs. */
  readonly mfa: string;
  /** Messages waiting in its mailbox. */
  readonly mailbox: number;
  readonly links: readonly Pid[];
  /** The refs of the monitors it holds on others, and of those others hold on it. */
  readonly monitors: readonly Ref[];
  readonly monitoredBy: readonly Ref[];
  readonly name?: string;
  readonly trapExits: boolean;
}

/** One message of the data plane. */
export type DataMessage = Request | Reply | BatchRequest | BatchReply | Lost | Signal;

/**
 * What one `postMessage` carries: every message queued for that port in one tick, in order.
 * A string is a run of packed records (`src/protocol/batch.ts`); a frame of only such records
 * is posted as that one string.
 */
export type Frame = string | (DataMessage | string)[];

/** The most nodes a cluster has had in its life (removed ones keep their link index: indexes are never reused). */
export const MAX_NODES = 1024;

/**
 * Link indexes: nodes 0..MAX_NODES-1 (in the order they joined), the main thread's client (and
 * supervisor) `CLIENT`, client threads attached after it. Nodes that join later take the next
 * node index, so the main thread's index never moves.
 */
export const CLIENT = MAX_NODES;

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
