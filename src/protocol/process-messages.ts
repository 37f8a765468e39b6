/**
 * The messages of processes: pids, monitor refs, registered names, and the signals between
 * processes (messages, links, monitors, exits) that ride the data plane. Defined once for every
 * thread; re-exported by messages.ts.
 */
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
