/**
 * Modules a node can run by name: the built-ins (Kernel, KV.Registry, KV.Bucket, KV.Router,
 * Application) and the user's modules from the config. Functions are looked up by
 * module, function and arity, never sent as closures.
 */
import { pathToFileURL } from 'node:url';
import { Errors, KvError, messageOf, reasonOf } from '../protocol/errors.js';
import type { ModuleSettings } from '../core/config.js';
import type { Pid, Ref, ServerName } from '../protocol/messages.js';

export type { Pid, Ref, ServerName } from '../protocol/messages.js';

/** A module: exported functions by name. */
export type Module = Readonly<Record<string, unknown>>;

/** What `this` is inside a function run by a node: the node's view of the cluster (in a `cpu: true` module, `nodes()` and `getEnv()` as they were when the call started, and no `putEnv`). */
export interface NodeContext {
  /** This node's name (Erlang's `node()`). */
  node(): string;
  /** The other nodes' names (Erlang's `Node.list()`). */
  nodes(): string[];
  /** Routes `mod.fun(...args)` by `bucket` from this node, as `KV.Router.route` does. */
  route(bucket: string, mod: string, fun: string, args?: unknown[]): Promise<unknown>;
  /** Runs `mod.fun(...args)` on `node` and waits for it (`:rpc.call`). */
  call(node: string, mod: string, fun: string, args?: unknown[], timeoutMs?: number): Promise<unknown>;
  /**
   * Starts `mod.fun(...args)` as a process on `node` (Erlang's `Node.spawn`); resolves with its pid.
   * A spawn that fails rejects and, like a process whose function throws, is reported as `taskerror`.
   */
  spawn(node: string, mod: string, fun: string, args?: unknown[]): Promise<Pid>;
  /** Sends `msg` (a copy) to a pid or a registered `{ name, node }`; never waits, and a message to a process or node that is gone is dropped. */
  send(dest: Pid | ServerName, msg: unknown): void;
  /** Writes `text` and a newline through the group leader (`IO.puts`): on the cluster's `stdout`, in the app's thread. */
  puts(text: string): void;
  /** The pid registered under `name` on `node` (default: this one), or null (`Process.whereis`, `:rpc.call(node, Process, :whereis, [name])`). */
  whereis(name: string, node?: string): Promise<Pid | null>;
  /** This node's application environment (`Application.get_env`). */
  getEnv(key: string): unknown;
  /** Sets a key of this node's environment; `routing_table` is checked by the supervisor against every node's table and replaces this node's. */
  putEnv(key: string, value: unknown): Promise<void>;
  /** The node's clock, ms (virtual time in a simulation: use it, not `Date.now`, to stay deterministic). */
  now(): number;
  /** Calls `fn` after `ms` on the node's clock; returns its cancel function (use it, not `setTimeout`, in a simulation). */
  after(ms: number, fn: () => void): () => void;
}

/** Who sent a `['$call', from, msg]` to a named server: the caller's pid and the ref its reply must carry. */
export interface CallFrom {
  readonly pid: Pid;
  readonly ref: Ref;
}

/** `this` inside a process (a function started by `spawn`): the node's context and the process's own. */
export interface ProcessContext extends NodeContext {
  /** This process's pid. */
  self(): Pid;
  /** `spawn`, linked to this process from the start (`spawn_link`). */
  spawnLink(node: string, mod: string, fun: string, args?: unknown[]): Promise<Pid>;
  /** `spawn`, monitored by this process from the start (`spawn_monitor`). */
  spawnMonitor(node: string, mod: string, fun: string, args?: unknown[]): Promise<{ pid: Pid; ref: Ref }>;
  /** The first waiting message `match` accepts (any message without one), or the next to arrive; rejects with KV_ERR_TIMEOUT after `timeoutMs` (0: only what waits now). */
  receive<T = unknown>(match?: (msg: unknown) => boolean, timeoutMs?: number): Promise<T>;
  /** Every message waiting, oldest first, taken out of the mailbox. */
  flush(): unknown[];
  /** Links this process and `pid` both ways: one's abnormal exit ends the other, or reaches it as `['EXIT', pid, reason]` if it traps exits. */
  link(pid: Pid): void;
  unlink(pid: Pid): void;
  /** Monitors a pid or `{ name, node }`: `['DOWN', ref, dest, reason]` comes once it ends (at once, `noproc`, if it is gone). */
  monitor(dest: Pid | ServerName): Ref;
  /** Removes a monitor, and its DOWN message if one waits already. */
  demonitor(ref: Ref): void;
  /** Turns trapping exits on or off (`Process.flag(:trap_exit, on)`); returns the previous setting. */
  trapExits(on: boolean): boolean;
  /** Ends this process with `reason` (`exit/1`); with a pid first, sends it an exit signal instead (`exit/2`; `'kill'` cannot be trapped). */
  exit(reason: unknown): never;
  exit(pid: Pid, reason: unknown): void;
  /** Registers this process under `name` on its node. */
  register(name: string): void;
  unregister(): void;
  /** Answers a `['$call', from, msg]` (a `callServer` waiting on `from.ref`). */
  reply(from: CallFrom, value: unknown): void;
  /** `GenServer.call`: sends `['$call', from, msg]` to `dest` and resolves with its `reply`; KV_ERR_NO_PROCESS or KV_ERR_NODE_DOWN at once if it is gone or dies, KV_ERR_TIMEOUT after `timeoutMs` (default: the config's). */
  callServer(dest: Pid | ServerName, msg: unknown, timeoutMs?: number): Promise<unknown>;
}

/** A module that runs in the node's CPU pool rather than on its event loop. */
export interface PooledModule {
  readonly pooled: true;
  readonly path: string;
  readonly exports: Module;
}

/** Loads the user's modules (paths already absolute). */
export async function loadModules(specs: readonly ModuleSettings[]): Promise<Map<string, Module | PooledModule>> {
  const loaded = new Map<string, Module | PooledModule>();
  for (const spec of specs) {
    let exports: Module;
    try {
      exports = (await import(pathToFileURL(spec.path).href)) as Module;
    } catch (e) {
      throw Errors.moduleLoad(spec.name, spec.path, reasonOf(e));
    }
    loaded.set(spec.name, spec.cpu ? { pooled: true, path: spec.path, exports } : exports);
  }
  return loaded;
}

/** A built-in function: it checks its own arguments; `arities` are the call shapes it has (`KV.Bucket.stop/1` and `/2`). */
export type Builtin = ((...args: unknown[]) => unknown) & { readonly arities: readonly number[] };

function isBuiltin(fn: object): fn is Builtin {
  return Array.isArray((fn as Partial<Builtin>).arities);
}

/** The function `mod.fun` for a call with `arity` args, or KV_ERR_UNDEFINED_FUNCTION naming `Mod.fun/arity` and what exists. */
export function lookupFunction(modules: ReadonlyMap<string, Module | PooledModule>, mod: string, fun: string, arity: number, node: string): (...args: unknown[]) => unknown {
  const found = modules.get(mod);
  const exports = found === undefined ? undefined : isPooled(found) ? found.exports : found;
  const fn = exports !== undefined && Object.hasOwn(exports, fun) ? exports[fun] : undefined;
  if (typeof fn === 'function' && (!isBuiltin(fn) || fn.arities.includes(arity))) return fn as (...args: unknown[]) => unknown;
  const what = `undefined function ${mod}.${fun}/${arity} on node "${node}"`;
  if (exports === undefined) throw Errors.undefinedFunction(what, `no module ${mod} (modules: ${[...modules.keys()].join(', ')})`);
  const names = Object.keys(exports).flatMap((k) => {
    const f = exports[k];
    if (typeof f !== 'function') return [];
    return isBuiltin(f) ? f.arities.map((n) => `${k}/${n}`) : [k];
  });
  throw Errors.undefinedFunction(what, `module ${mod} exports ${names.length === 0 ? 'no functions' : names.join(', ')}`);
}

/** Whether a module runs in the CPU pool. */
export function isPooled(m: Module | PooledModule): m is PooledModule {
  return (m as Partial<PooledModule>).pooled === true;
}

/**
 * KV_ERR_TASK_FAILED for a user function that threw or rejected, whatever the value (inline
 * and in the CPU pool alike); KvErrors (a failed nested route, say) keep their code. Never throws.
 */
export function taskFailed(mod: string, fun: string, arity: number, node: string, error: unknown): KvError {
  try {
    if (error instanceof KvError) return error;
  } catch {
    // A revoked proxy: instanceof throws; it is a failure like any other.
  }
  return Errors.taskFailed(`${mod}.${fun}/${arity}`, node, messageOf(error, 'threw '));
}
