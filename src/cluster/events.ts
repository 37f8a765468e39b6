/**
 * What a cluster reports: its events and their payloads, and each node's status. Apart from
 * the supervisor that makes them, so that the public types name no internal class.
 */
import type { KvError } from '../protocol/errors.js';
import type { RoutingTable } from '../core/routing.js';

/** A node's state as `cluster.status()` reports it. */
export type NodeState = 'up' | 'restarting' | 'down';

/** One node in `cluster.status()`. */
export interface NodeStatus {
  readonly node: string;
  readonly state: NodeState;
  /** Restarts so far (attempts, successful or not). */
  readonly restarts: number;
  /** Processes alive on it (0 unless up; on worker threads as of its last heartbeat tick, every `heartbeatMs` / 8). */
  readonly processes: number;
  /** Why it last went down, if it ever did. */
  readonly reason?: string;
  /** While a reshard runs: its phase and the keys sent so far. */
  readonly move?: ReshardProgress;
}

/** Emitted as `nodedown`: once per death of a node thread. */
export interface NodeDownEvent {
  readonly node: string;
  /** KV_ERR_NODE_DOWN naming the node and the cause. */
  readonly reason: KvError;
  /** Whether it is being restarted; false when it stays down (policy "never", or intensity reached). */
  readonly restarting: boolean;
}

/** Emitted as `nodeup`: once per successful restart. */
export interface NodeUpEvent {
  readonly node: string;
  readonly restarts: number;
}

/** Emitted as `nodejoin` once a node added by `cluster.addNode` is up (before its claim moves to it), and as `nodeleave` once one removed by `cluster.removeNode` is gone. */
export interface NodeMembershipEvent {
  readonly node: string;
}

/** Emitted as `routingtable` when a node changed its own table (`Application.put_env`). */
export interface RoutingTableEvent {
  readonly node: string;
  readonly table: RoutingTable;
}

/** How far a reshard has come, as `onProgress` hears it. */
export interface ReshardProgress {
  readonly phase: 'copy' | 'catch-up' | 'fence' | 'switch' | 'done' | 'rolled back';
  /** Keys sent to their new owners so far (catch-up rounds count again), and the keys the snapshot holds. */
  readonly keys: number;
  readonly totalKeys: number;
}

/** What a reshard did. */
export interface ReshardResult {
  /** False when it was undone (a node died before the new owners took over): the tables are as they were. */
  readonly committed: boolean;
  /** Why it was undone. */
  readonly reason?: string;
  /** The version of the tables after it. */
  readonly version: number;
  /** What the snapshot moved: buckets, keys and their bytes (what was sent of them, when undone). */
  readonly moved: { readonly buckets: number; readonly keys: number; readonly bytes: number };
  /** Catch-up rounds run before the fence. */
  readonly rounds: number;
  /** From the fence to its release, ms: the longest a request for a moving bucket waited. */
  readonly fenceMs: number;
  /** Requests held through the fence. */
  readonly held: number;
  readonly durationMs: number;
}

/** Emitted as `taskerror` when a spawned call fails. */
export interface TaskErrorEvent {
  readonly node: string;
  readonly mfa: string;
  readonly error: KvError;
}

/** Emitted as `exit` when the app's process (`cluster.self()`) gets an exit signal: a linked process ended (not `normal`), or `exit(pid, reason)` was sent to it. The same arrives in its mailbox as `['EXIT', pid, reason]`. */
export interface ExitEvent {
  /** The process that sent it (`#PID<foo.1.0>`). */
  readonly pid: string;
  /** Why: `'noconnection'` (its node died), `'killed'`, `{ code, message }` of an error it threw, or what it exited with. */
  readonly reason: unknown;
}

/** Where the output of processes goes (`process.stdout`, or anything with `write`). */
export interface OutputStream {
  write(text: string): unknown;
}

/** Every event of a cluster and its listener's arguments: `cluster.on(name, listener)` accepts these names only. */
export interface ClusterEvents {
  nodedown: [event: NodeDownEvent];
  nodeup: [event: NodeUpEvent];
  nodejoin: [event: NodeMembershipEvent];
  nodeleave: [event: NodeMembershipEvent];
  routingtable: [event: RoutingTableEvent];
  taskerror: [event: TaskErrorEvent];
  exit: [event: ExitEvent];
}
