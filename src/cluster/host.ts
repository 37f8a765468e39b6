/**
 * What the supervisor runs on (design.md, "One node, three hosts"): channels between nodes,
 * node runtimes, a scheduler. Worker threads are one host (`threads.ts`); the simulation is
 * another. The supervisor's decisions (restart intensity, heartbeat, settling on death, the
 * wiring of a restarted node) are the same on both; only what an "end" of a channel is
 * (a MessagePort, a simulated link) and how a node runs differ.
 */
import type { KvError, WireError } from '../protocol/errors.js';
import type { FaultSpec, Lifecycle, NodeAnswers, NodeCommand, NodeStats, Tables } from '../protocol/messages.js';
import type { Settings } from '../core/config.js';
import type { Link } from '../transport/link.js';
import type { Scheduler } from '../transport/scheduler.js';
import type { Uniform } from '../transport/faults.js';

/** A node's control API (`NodeControl`) as the supervisor calls it: every method answers with a promise. */
export interface ControlCalls<E> {
  ping(): Promise<number>;
  setTables(tables: Tables, version?: number): Promise<void>;
  link(index: number, port: E): Promise<void>;
  unlink(index: number): Promise<void>;
  setFaults(spec: FaultSpec): Promise<void>;
  stats(): Promise<NodeStats>;
  command<C extends NodeCommand>(cmd: C): Promise<NodeAnswers[C['type']]>;
  stop(reason: WireError): Promise<void>;
}

/** What a node runtime tells its supervisor. */
export interface RuntimeHooks {
  /** A lifecycle message other than ready/failed (a failed spawn). */
  readonly onMessage: (msg: Lifecycle & { type: 'spawn-failed' }) => void;
  /** The node exited or failed to start; `reason` is KV_ERR_NODE_DOWN naming the node. Called at most once. */
  readonly onDeath: (reason: KvError) => void;
}

/** One life of a node on its host, from start to exit. A restarted node is a new runtime with the same name. */
export interface NodeRuntime<E> {
  /** Resolves when the node reports ready; rejects with its start error, or KV_ERR_NODE_DOWN if it exits first. */
  readonly ready: Promise<void>;
  /** Resolves when the node is gone. */
  readonly exited: Promise<void>;
  /** Whether the node reported ready. */
  readonly isReady: boolean;
  /** The TCP port it serves, once ready. */
  readonly port: number | undefined;
  /** Its RESP server's port, once ready (a host without sockets has none). */
  readonly respPort?: number | undefined;
  /** Why it ended, or undefined while it lives. */
  readonly ended: KvError | undefined;
  /** Its progress counter (the heartbeat reads it): moves while the node's event loop turns. */
  progress(): number;
  /** Its processes alive (on worker threads as of the node's last heartbeat tick, in shared memory). */
  processes(): number;
  /** Marks it dead: control calls reject with `reason`, the heartbeat stops. Returns false if it already was. */
  end(reason: KvError): boolean;
  /** Keeps the heartbeat's stop function, so that ending stops it. */
  watchedBy(stop: () => void): void;
  /** A control call that rejects at once when the node dies, and after `ms` if it never answers. */
  call<T>(what: string, ms: number, fn: (control: ControlCalls<E>) => Promise<T>): Promise<T>;
  /** Stops it running (its deliveries and timers wait) until `resume`; resolves once it has stopped. */
  pause(): Promise<void>;
  /** Lets a paused node run again. */
  resume(): void;
  /** Ends it (if it still runs) and resolves once it is gone. */
  terminate(): Promise<void>;
  /** Ends it, waiting at most `ms`; one that cannot be stopped is let go. Resolves with whether it ended. */
  terminateWithin(ms: number): Promise<boolean>;
}

/** A host of nodes. `E` is one end of a data channel as the host passes it to a node. */
export interface ClusterHost<E> {
  readonly scheduler: Scheduler;
  /** Whether its clock is virtual (a simulation): traffic logs say which clock their times are on. */
  readonly virtual?: boolean;
  /** Draws the losses and delays of faults on the supervisor's thread (seeded in a simulation). */
  readonly random: Uniform;
  /** A new data channel between `a` and `b` (node names, or `client`): the end `a` holds, the end `b` holds. */
  channel(a: string, b: string): [E, E];
  /** An end kept by the supervisor's own thread, as a link for its endpoint. */
  link(end: E): Link;
  /** Starts node `index` with its data-channel ends (`links`: the other side's link index and the end); `creation` counts its lives (0, then its restarts). */
  spawn(settings: Settings, index: number, tables: Tables, links: readonly { index: number; port: E }[], hooks: RuntimeHooks, creation?: number): NodeRuntime<E>;
  /**
   * Applies the network's faults itself (the simulation, in its seeded network); without it, the
   * supervisor hands them to every node, which applies them at the sending end (worker threads).
   */
  applyFaults?(spec: FaultSpec): void;
  /** Something the app should know that is not an error (a thread that could not be stopped), with a `KV_WARN_*` code. */
  warn(text: string, code: string): void;
}
