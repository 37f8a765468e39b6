/**
 * The process API of the cluster facade (`Cluster` extends it): spawning processes on nodes, the
 * app's own process, messages, exit signals, named servers. The work is done in the app's thread
 * by `ClusterProcesses` (`processes.ts`).
 */
import { EventEmitter } from 'node:events';
import type { Pid, ProcessInfo, Ref, ServerName } from '../protocol/messages.js';
import type { Spawned } from '../node/process/spawn.js';
import type { ClusterEvents } from './events.js';
import type { ClusterProcesses } from './processes.js';
import type { ProcessHandle } from './process-handle.js';

/** The process API of a cluster; its events are `ClusterEvents`. */
export abstract class ProcessApi extends EventEmitter<ClusterEvents> {
  /** @internal */
  protected abstract readonly procs: ClusterProcesses;

  /**
   * `Node.spawn`: starts `mod.fun(...args)` as a process on `node`; resolves with its pid once the
   * node has it (within `timeout`, default the config's). A spawn that fails, and a process whose
   * function throws, are emitted as `taskerror` (or a process warning if nobody listens): awaiting is optional.
   */
  spawn(node: string, mod: string, fun: string, args: readonly unknown[] = [], options: { readonly timeout?: number } = {}): Promise<Pid> {
    return this.procs.spawn('spawn', 'spawn', node, [mod, fun, args], options) as Promise<Pid>;
  }

  /** `Node.spawn_link`: `spawn`, linked to the app's process (which traps exits: `['EXIT', pid, reason]` and the `exit` event). */
  spawnLink(node: string, mod: string, fun: string, args: readonly unknown[] = [], options: { readonly timeout?: number } = {}): Promise<Pid> {
    return this.procs.spawn('link', 'spawnLink', node, [mod, fun, args], options) as Promise<Pid>;
  }

  /** `spawn_monitor`: `spawn`, monitored by the app's process (`['DOWN', ref, pid, reason]` once it ends). */
  spawnMonitor(node: string, mod: string, fun: string, args: readonly unknown[] = [], options: { readonly timeout?: number } = {}): Promise<{ pid: Pid; ref: Ref }> {
    return this.procs.spawn('monitor', 'spawnMonitor', node, [mod, fun, args], options) as Promise<Exclude<Spawned, string>>;
  }

  /** The app's own process: its pid, mailbox (`receive`, `flush`), links and monitors. */
  self(): ProcessHandle {
    return this.procs.self();
  }

  /** `send(dest, msg)`: a copy of `msg` to a pid or `{ name, node }`, never waiting (to a process or node that is gone, it is dropped). */
  send(dest: Pid | ServerName, msg: unknown): void {
    this.procs.send(dest, msg);
  }

  /** `Process.exit(pid, reason)`: an exit signal from the app's process (`'kill'` cannot be trapped). */
  exit(pid: Pid, reason: unknown): void {
    this.procs.exit(pid, reason);
  }

  /** `GenServer.call({ name, node }, msg)`: resolves with the server's `this.reply(from, value)`; KV_ERR_NO_PROCESS / KV_ERR_NODE_DOWN at once if it is gone or dies, KV_ERR_TIMEOUT past `timeout` (default: the config's). */
  callServer<T = unknown>(dest: Pid | ServerName, msg: unknown, options: { readonly timeout?: number } = {}): Promise<T> {
    return this.procs.callServer(dest, msg, options) as Promise<T>;
  }

  /** The pid registered under `name` on `node`, or null. */
  whereis(name: string, node: string): Promise<Pid | null> {
    return this.procs.whereis(name, node);
  }

  /** The processes running on `node`: pid, `Module.fun/arity`, mailbox length, links, monitors, name. */
  processes(node: string): Promise<ProcessInfo[]> {
    return this.procs.processes(node);
  }
}
