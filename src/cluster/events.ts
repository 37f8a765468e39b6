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
  /** Why it last went down, if it ever did. */
  readonly reason?: string;
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

/** Emitted as `routingtable` when a node changed its own table (`Application.put_env`). */
export interface RoutingTableEvent {
  readonly node: string;
  readonly table: RoutingTable;
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
  routingtable: [event: RoutingTableEvent];
  taskerror: [event: TaskErrorEvent];
  exit: [event: ExitEvent];
}
